package io.taskmesh.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import io.taskmesh.account.AuthenticatedUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Makes an authenticated POST with {@code Idempotency-Key} safe to retry: the first answer is
 * stored and replayed to repeats of the same request; the same key with another request is 422;
 * a repeat that arrives while the first is still running is 409. Server errors are not stored,
 * so the client may retry them.
 */
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyRecords records;

    IdempotencyFilter(IdempotencyRecords records) {
        this.records = records;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> userId = currentUser();
        if (userId.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(HEADER);
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            Problems.write(request, response, ApiException.invalid(HEADER,
                    "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters"));
            return;
        }
        String id = userId.get() + ":" + key;
        String hash = requestHash(request);
        if (!records.claim(id, hash)) {
            Optional<IdempotencyRecords.IdempotencyRecord> existing = records.find(id);
            if (existing.isEmpty()) {
                if (!records.claim(id, hash)) {
                    conflict(request, response);
                    return;
                }
            } else {
                answerRepeat(existing.get(), hash, request, response);
                return;
            }
        }
        request.setAttribute(NewIds.ATTRIBUTE, NewIds.derive(userId.get(), key, hash));
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean stored = false;
        try {
            chain.doFilter(request, recorded);
            int status = recorded.getStatus();
            if (status < 500) {
                records.complete(id, status, replayedHeaders(recorded),
                        new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8));
                stored = true;
            }
        } finally {
            if (!stored) {
                records.release(id);
            }
            recorded.copyBodyToResponse();
        }
    }

    private void answerRepeat(IdempotencyRecords.IdempotencyRecord existing, String hash, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        if (!existing.requestHash().equals(hash)) {
            Problems.write(request, response, new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "Idempotency key reused", "This Idempotency-Key was already used for a different request"));
            return;
        }
        if (!existing.done()) {
            conflict(request, response);
            return;
        }
        response.setStatus(existing.status());
        existing.headers().forEach(response::setHeader);
        response.setHeader("Idempotent-Replayed", "true");
        byte[] body = existing.body() == null ? new byte[0] : existing.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void conflict(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        Problems.write(request, response, ApiException.conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly"));
    }

    private static Map<String, String> replayedHeaders(HttpServletResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION, HttpHeaders.ETAG}) {
            String value = response.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static String requestHash(HttpServletRequest request) throws IOException {
        return Sha256.hex(request.getRequestURI().getBytes(StandardCharsets.UTF_8), new byte[] {0},
                request.getInputStream().readAllBytes());
    }

    private static Optional<String> currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user) {
            return Optional.of(user.id());
        }
        return Optional.empty();
    }
}
