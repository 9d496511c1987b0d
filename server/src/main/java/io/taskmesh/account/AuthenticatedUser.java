package io.taskmesh.account;

import java.io.Serializable;
import java.util.List;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** The principal of an authenticated request: who is calling, and how. */
public record AuthenticatedUser(String id, boolean viaToken) implements Serializable {

    /** Makes this user the caller of the current request and returns the new security context. */
    SecurityContext becomeCaller() {
        var authentication = UsernamePasswordAuthenticationToken.authenticated(this, null,
                List.of(new SimpleGrantedAuthority("ROLE_USER")));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        return context;
    }
}
