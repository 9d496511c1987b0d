package io.taskmesh.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts failed Redis operations by use ({@code taskmesh.redis.errors{use=session|events|throttle|cache}})
 * and logs them without flooding the log: one warning per use after a success, debug after that.
 */
public class RedisErrors {

    private static final Logger log = LoggerFactory.getLogger(RedisErrors.class);

    private final MeterRegistry metrics;
    private final java.util.Map<String, Boolean> failing = new java.util.concurrent.ConcurrentHashMap<>();

    public RedisErrors(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public void failed(String use, RuntimeException e) {
        Counter.builder("taskmesh.redis.errors").description("Redis operations that failed or timed out")
                .tag("use", use).register(metrics).increment();
        if (failing.put(use, Boolean.TRUE) == null) {
            log.warn("Redis failed ({}): {}; carrying on without it until it answers again", use, e.toString());
        } else {
            log.debug("Redis failed ({})", use, e);
        }
    }

    public void succeeded(String use) {
        if (failing.remove(use) != null) {
            log.info("Redis answers again ({})", use);
        }
    }
}
