package io.taskmesh.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;

/**
 * The built web UI as a browser gets it: the entry page at {@code /} and at every client-side
 * route, hashed assets cacheable for a year, while API, actuator and file paths are not swallowed.
 */
@ApiTest
class WebUiApiTest {

    private static final Map<String, String> BROWSER = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    private static final Pattern SCRIPT = Pattern.compile("<script[^>]*src=\"(/assets/[^\"]+\\.js)\"");

    @LocalServerPort
    int port;

    @Test
    void clientSideRoutesGetTheEntryPage() {
        ApiClient client = ApiClient.at(port);
        String root = client.get("/", BROWSER).text();
        for (String path : new String[] {"/login", "/signup", "/today", "/lists/abc123", "/lists/abc123/active",
                "/lists/abc123/completed", "/lists/abc123/settings", "/lists/abc123/?task=x"}) {
            ApiResponse page = client.get(path, BROWSER);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.contentType()).as(path).startsWith("text/html");
            assertThat(page.header("Cache-Control")).as(path).contains("no-cache").doesNotContain("max-age=31536000");
            assertThat(page.text()).as(path).isEqualTo(root).contains("<div id=\"root\">");
        }
    }

    @Test
    void theEntryPageLoadsOnlyFilesFromItsOwnOrigin() {
        ApiResponse page = ApiClient.at(port).get("/", BROWSER);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        // No inline script: the CSP would block it.
        assertThat(page.text()).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(page.text()).doesNotContain("http://", "https://");
    }

    @Test
    void hashedAssetsAreCachedForAYear() {
        ApiClient client = ApiClient.at(port);
        Matcher script = SCRIPT.matcher(client.get("/", BROWSER).text());
        assertThat(script.find()).as("index.html names its script").isTrue();
        ApiResponse asset = client.get(script.group(1), Map.of("Accept", "*/*"));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.contentType()).contains("javascript");
        assertThat(asset.header("Cache-Control")).contains("public", "max-age=31536000", "immutable");
    }

    @Test
    void otherStaticFilesAreServedAndRevalidated() {
        ApiResponse icon = ApiClient.at(port).get("/favicon.svg", Map.of("Accept", "*/*"));
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.contentType()).startsWith("image/svg+xml");
        assertThat(icon.header("Cache-Control")).contains("no-cache");
    }

    @Test
    void apiActuatorAndFilePathsAreNotClientRoutes() {
        ApiClient client = ApiClient.at(port);
        for (String path : new String[] {"/api/v1/no/such/thing", "/api/nothing", "/actuator/nothing",
                "/assets/missing-123.js", "/no/such/file.txt", "/lists/abc/missing.png"}) {
            ApiResponse response = client.get(path, BROWSER);
            assertThat(response.status()).as(path).isIn(401, 404);
            assertThat(response.isProblem()).as(path).isTrue();
        }
        assertThat(client.get("/api/v1/lists", BROWSER).status()).isEqualTo(401);
        assertThat(client.get("/actuator/health/liveness").get("status")).isEqualTo("UP");
    }

    @Test
    void unknownApiPathsOfALoggedInUserAre404Problems() {
        ApiClient client = ApiClient.at(port);
        assertThat(client.post("/api/v1/auth/signup",
                Map.of("email", "webui-" + System.nanoTime() + "@example.com", "password", "a long password"))
                .status()).isEqualTo(201);
        ApiResponse response = client.get("/api/v1/no/such/thing", BROWSER);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void clientRoutesAreRecognisedByPath() {
        assertThat(UiResources.ClientRouteResolver.isClientRoute("lists/a/active")).isTrue();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("login")).isTrue();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("lists/a/")).isTrue();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("api/v1/x")).isFalse();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("actuator")).isFalse();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("assets/app.js")).isFalse();
        assertThat(UiResources.ClientRouteResolver.isClientRoute("robots.txt")).isFalse();
    }
}
