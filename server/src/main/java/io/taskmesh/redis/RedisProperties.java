package io.taskmesh.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shared Redis, used for sessions, live events and log-in throttling when {@code url} is set
 * ({@code TASKMESH_REDIS_URL}, e.g. {@code redis://127.0.0.1:6379}). Redis is an accelerator:
 * commands give up after {@code commandTimeout}, and while it is unreachable cookie requests
 * answer 503 with {@code Retry-After: sessionRetryAfter}.
 */
@ConfigurationProperties("taskmesh.redis")
public record RedisProperties(
        String url,
        @DefaultValue("500ms") Duration commandTimeout,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("2s") Duration sessionRetryAfter,
        @DefaultValue("taskmesh:events") String eventStream,
        @DefaultValue("100000") long eventStreamMaxLength,
        @DefaultValue("2s") Duration eventReadBlock) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
