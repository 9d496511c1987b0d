package io.taskmesh.redis;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import io.taskmesh.web.ApiException;
import io.taskmesh.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Wraps the session filter: when the session store fails (anywhere in the request, including
 * when the session is saved after the handler ran), the client gets the 503 problem with
 * {@code Retry-After} rather than a 500.
 */
class SessionUnavailableFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException | IOException e) {
            ApiException unavailable = unavailableCause(e);
            if (unavailable == null || response.isCommitted()) {
                throw e;
            }
            Problems.write(request, response, unavailable);
        }
    }

    private static ApiException unavailableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api && api.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                return api;
            }
        }
        return null;
    }
}
