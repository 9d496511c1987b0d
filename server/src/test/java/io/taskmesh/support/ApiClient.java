package io.taskmesh.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client of the API, as a browser (session cookie + CSRF header) or a program
 * (bearer token) would use it. Each instance has its own cookie jar.
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final CookieManager cookies;
    private final HttpClient http;
    private String bearer;
    private boolean sendCsrf = true;

    public ApiClient(String baseUrl) {
        this(baseUrl, new CookieManager());
    }

    private ApiClient(String baseUrl, CookieManager cookies) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public static ApiClient at(int port) {
        return new ApiClient("http://localhost:" + port);
    }

    /** The same caller (same cookie jar, same token) talking to another node on {@code port}. */
    public ApiClient sameCallerAt(int port) {
        ApiClient other = new ApiClient("http://localhost:" + port, cookies);
        other.bearer = bearer;
        other.sendCsrf = sendCsrf;
        return other;
    }

    /** Authenticate with this personal access token from now on (no cookies, no CSRF header). */
    public ApiClient withBearer(String token) {
        this.bearer = token;
        return this;
    }

    /** Whether unsafe requests echo the XSRF-TOKEN cookie in X-XSRF-TOKEN (as the web UI does). */
    public ApiClient sendCsrf(boolean send) {
        this.sendCsrf = send;
        return this;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiResponse get(String path) {
        return send("GET", path, null, Map.of());
    }

    public ApiResponse get(String path, Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    public ApiResponse post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public ApiResponse post(String path, Object body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    public ApiResponse patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public ApiResponse patch(String path, Object body, Map<String, String> headers) {
        return send("PATCH", path, body, headers);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    public ApiResponse delete(String path, Map<String, String> headers) {
        return send("DELETE", path, null, headers);
    }

    /**
     * Sends a request. {@code body} may be a String (sent as is, e.g. malformed JSON), a byte
     * array, or any object (serialized as JSON).
     */
    public ApiResponse send(String method, String path, Object body, Map<String, String> headers) {
        byte[] bytes;
        if (body == null) {
            bytes = null;
        } else if (body instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (body instanceof byte[] b) {
            bytes = b;
        } else {
            bytes = JSON.writeValueAsBytes(body);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, String> all = new LinkedHashMap<>();
        if (bytes != null) {
            all.put("Content-Type", "application/json");
        }
        all.put("Accept", "application/json, application/problem+json");
        if (bearer != null) {
            all.put("Authorization", "Bearer " + bearer);
        } else if (sendCsrf && !method.equals("GET") && csrfCookie() != null) {
            all.put("X-XSRF-TOKEN", csrfCookie());
        }
        all.putAll(headers);
        all.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the live event stream (optionally resuming after {@code lastEventId}) and returns once
     * the server has answered with its headers.
     */
    public EventStream events(String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events"))
                .header("Accept", "text/event-stream").GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /api/v1/events -> " + response.statusCode() + " "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            return new EventStream(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET /api/v1/events failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The current value of the XSRF-TOKEN cookie, or null. */
    public String csrfCookie() {
        return cookie("XSRF-TOKEN");
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Drops one cookie from the jar, keeping the others. */
    public void forgetCookie(String name) {
        var store = cookies.getCookieStore();
        store.getCookies().stream().filter(c -> c.getName().equals(name)).toList()
                .forEach(c -> store.remove(null, c));
        if (cookie(name) != null) {
            throw new IllegalStateException("could not forget cookie " + name);
        }
    }

    public void forgetCookies() {
        cookies.getCookieStore().removeAll();
    }

    /** Parses JSON text (test convenience). */
    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
