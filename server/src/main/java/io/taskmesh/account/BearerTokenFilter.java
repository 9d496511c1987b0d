package io.taskmesh.account;

import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

import io.taskmesh.web.ApiException;
import io.taskmesh.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates {@code Authorization: Bearer} requests by personal access token. A request that
 * carries the header is judged by the token alone: a session cookie sent with it is ignored, and
 * a bad token is a 401.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final AccessTokens tokens;

    BearerTokenFilter(AccessTokens tokens) {
        this.tokens = tokens;
    }

    public static boolean hasAuthorizationHeader(HttpServletRequest request) {
        return request.getHeader("Authorization") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Problems.write(request, response, ApiException.unauthorized("Only Bearer tokens are accepted"));
            return;
        }
        var userId = tokens.userIdFor(header.substring(7).trim());
        if (userId.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Problems.write(request, response, ApiException.unauthorized("The access token is invalid or revoked"));
            return;
        }
        new AuthenticatedUser(userId.get(), true).becomeCaller();
        chain.doFilter(request, response);
    }
}
