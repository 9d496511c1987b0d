package io.taskmesh.web;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.csrf.CsrfTokenRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskmesh.account.TokenHashes;
import io.taskmesh.cache.CachedJson;
import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.CachedReadRoute;
import io.taskmesh.cache.ReadCache;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The fast path of the hot reads: a plain GET of a cached read with a personal access token is
 * answered here, ahead of the observation, session and security filters and of Spring MVC, when
 * {@link ReadCache#cachedForToken} finds the answer with one Redis round trip. The answer is the one
 * the controller would give: the same bytes (compressed as {@link ReadCache#ok} compresses them),
 * the same security headers and XSRF cookie. Anything else (no token, a cookie session, an odd path
 * or parameter, any miss) goes on down the chain, which checks, loads and refuses as usual; the
 * requests answered here are still timed as {@code http.server.requests}.
 */
final class CachedReadFilter implements Filter {

    private final ReadCache cache;
    private final List<CachedReadRoute> routes;
    private final CsrfTokenRepository csrfTokens;
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    CachedReadFilter(ReadCache cache, List<CachedReadRoute> routes, CsrfTokenRepository csrfTokens,
            MeterRegistry metrics) {
        this.cache = cache;
        this.routes = List.copyOf(routes);
        this.csrfTokens = csrfTokens;
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Optional<String> token = plainGet(request) ? TokenHashes.ofAuthorization(request.getHeader("Authorization"))
                : Optional.empty();
        Matched matched = token.isPresent() ? route(request) : null;
        Optional<CachedJson> body = matched != null ? cache.cachedForToken(token.get(), matched.read())
                : Optional.empty();
        if (body.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        SecurityHeaders.write(request, response);
        if (csrfTokens.loadToken(request) == null) {
            // As the security chain does: every response without the cookie sets one (API.md).
            csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
        }
        CachedJson.Encoded encoded = body.get().encodedFor(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
        encoded.headers().forEach((name, values) -> response.setHeader(name, String.join(", ", values)));
        response.setContentLength(encoded.bytes().length);
        response.getOutputStream().write(encoded.bytes());
        timer(matched.route()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private record Matched(CachedReadRoute route, CachedRead read) {
    }

    /** A GET without a body (a body would go to the body limit and the controller's refusal). */
    private static boolean plainGet(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && request.getContentLengthLong() <= 0
                && request.getHeader("Transfer-Encoding") == null;
    }

    private Matched route(HttpServletRequest request) {
        Map<String, String> query = QueryString.parse(request.getQueryString());
        if (query == null) {
            return null;
        }
        String path = request.getRequestURI();
        for (CachedReadRoute route : routes) {
            Optional<CachedRead> read = route.match(path, query);
            if (read.isPresent()) {
                return new Matched(route, read.get());
            }
        }
        return null;
    }

    // The same name and tags as the observation Spring records for the requests that go down the chain.
    private Timer timer(CachedReadRoute route) {
        return timers.computeIfAbsent(route.template(), uri -> Timer.builder("http.server.requests")
                .tag("error", "none").tag("exception", "none").tag("method", "GET").tag("outcome", "SUCCESS")
                .tag("status", "200").tag("uri", uri).register(metrics));
    }

    /** A query string of plain parameters only; null for anything a servlet container would have to decode. */
    static final class QueryString {

        private QueryString() {
        }

        static Map<String, String> parse(String query) {
            Map<String, String> parameters = new HashMap<>();
            if (query == null || query.isEmpty()) {
                return parameters;
            }
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || !plain(pair)) {
                    return null;
                }
                if (parameters.put(pair.substring(0, equals), pair.substring(equals + 1)) != null) {
                    return null;
                }
            }
            return parameters;
        }

        // No escapes, no '+' (a space), no second '=': such parameters are left to the container.
        private static boolean plain(String pair) {
            int equalsSigns = 0;
            for (int i = 0; i < pair.length(); i++) {
                char c = pair.charAt(i);
                if (c == '=') {
                    equalsSigns++;
                } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                        || c == '-' || c == '.' || c == '/')) {
                    return false;
                }
            }
            return equalsSigns == 1;
        }
    }
}
