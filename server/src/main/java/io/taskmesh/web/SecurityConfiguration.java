package io.taskmesh.web;

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.taskmesh.account.BearerTokenFilter;
import io.taskmesh.account.BearerTokenFilterFactory;
import io.taskmesh.store.CollectionIndexes;

/**
 * Who may call what. Browsers authenticate with the session cookie and must echo the
 * {@code XSRF-TOKEN} cookie in {@code X-XSRF-TOKEN} on unsafe requests; programs send a bearer
 * token and need no CSRF header. Every API path but sign-up, log-in and token issue needs one of the two.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    CollectionIndexes idempotencyIndexes() {
        return IdempotencyRecords.indexes();
    }

    /**
     * No observations of Spring Security's own filters, authentications and authorisations: they wrapped
     * each of its filters in two more and took about 6 % of a node's CPU under writes (async-profiler).
     * Every request is still observed once, as {@code http.server.requests}.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookiePath("/");
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        return repository;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityContextRepository contexts,
            CsrfTokenRepository csrfTokens, BearerTokenFilterFactory bearer, IdempotencyRecords idempotency)
            throws Exception {
        // The plain handler compares the header with the cookie value as the SPA reads it.
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null);
        http
                .securityContext(c -> c.securityContextRepository(contexts))
                .csrf(c -> c.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(csrfHandler)
                        .requireCsrfProtectionMatcher(cookieAuthenticatedUnsafeRequest()))
                .addFilterAfter(bearer.create(), SecurityContextHolderFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .addFilterAfter(new IdempotencyFilter(idempotency), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        // Async re-dispatches (event streams) and error pages were authorised on the way in.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/signup", "/api/v1/auth/login",
                                "/api/v1/auth/tokens").permitAll()
                        .requestMatchers("/api/v1/**").authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> Problems.write(request, response,
                                ApiException.unauthorized("Log in, or send a personal access token as Bearer")))
                        .accessDeniedHandler((request, response, ex) -> Problems.write(request, response,
                                ApiException.forbidden("The X-XSRF-TOKEN header is missing or does not match the "
                                        + "XSRF-TOKEN cookie"))))
                .headers(AbstractHttpConfigurer::disable)
                .addFilter(SecurityHeaders.filter())
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * CSRF applies to unsafe requests authenticated by the session cookie. Bearer requests cannot be
     * forged by a browser; unauthenticated ones get 401 anyway; sign-up, log-in and token issue are
     * exempt by contract.
     */
    private static RequestMatcher cookieAuthenticatedUnsafeRequest() {
        return request -> {
            String method = request.getMethod();
            if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")) {
                return false;
            }
            if (BearerTokenFilter.hasAuthorizationHeader(request)) {
                return false;
            }
            String path = request.getRequestURI();
            if (path.equals("/api/v1/auth/signup") || path.equals("/api/v1/auth/login")
                    || path.equals("/api/v1/auth/tokens")) {
                return false;
            }
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            return authentication != null && authentication.isAuthenticated()
                    && !(authentication instanceof AnonymousAuthenticationToken);
        };
    }
}
