package io.taskmesh.web;

import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.csrf.CsrfTokenRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.cache.CachedReadRoute;
import io.taskmesh.cache.ReadCache;
import io.taskmesh.redis.RedisConfigured;

/** The fast path of cached reads, first of all filters; only with Redis (the embedded mode caches nothing). */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class CachedReadConfiguration {

    @Bean
    FilterRegistrationBean<CachedReadFilter> cachedReadFilter(ReadCache cache, List<CachedReadRoute> routes,
            CsrfTokenRepository csrfTokens, MeterRegistry metrics) {
        FilterRegistrationBean<CachedReadFilter> registration =
                new FilterRegistrationBean<>(new CachedReadFilter(cache, routes, csrfTokens, metrics));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/api/v1/*");
        return registration;
    }
}
