package io.taskmesh.account;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** Starts and ends cookie sessions. */
@Component
class SessionLogin {

    private final SecurityContextRepository contexts;
    private final CsrfTokenRepository csrfTokens;

    SessionLogin(SecurityContextRepository contexts, CsrfTokenRepository csrfTokens) {
        this.contexts = contexts;
        this.csrfTokens = csrfTokens;
    }

    /** Logs the user in on a brand-new session (a session id known before log-in is never reused). */
    void start(HttpServletRequest request, HttpServletResponse response, String userId) {
        HttpSession previous = request.getSession(false);
        if (previous != null) {
            previous.invalidate();
        }
        request.getSession(true);
        SecurityContext context = new AuthenticatedUser(userId, false).becomeCaller();
        contexts.saveContext(context, request, response);
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
    }

    void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }
}
