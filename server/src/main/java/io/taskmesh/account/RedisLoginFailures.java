package io.taskmesh.account;

import java.time.Duration;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.taskmesh.redis.RedisErrors;

/**
 * Failure counts shared by every node: {@code INCR} + {@code PEXPIRE} on
 * {@code taskmesh:login:failures:<key>}, blocks as {@code SET PX} on
 * {@code taskmesh:login:blocked:<key>}. While Redis fails, this node counts on its own.
 */
class RedisLoginFailures implements LoginFailures {

    private static final String FAILURES = "taskmesh:login:failures:";
    private static final String BLOCKED = "taskmesh:login:blocked:";

    private final StringRedisTemplate redis;
    private final LoginFailures fallback;
    private final RedisErrors errors;
    private final java.time.Clock clock;

    RedisLoginFailures(StringRedisTemplate redis, LoginFailures fallback, RedisErrors errors, java.time.Clock clock) {
        this.redis = redis;
        this.fallback = fallback;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public long increment(String key, Duration forgetAfter) {
        try {
            List<Object> results = redis.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
                byte[] k = (FAILURES + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                c.stringCommands().incr(k);
                c.keyCommands().pExpire(k, forgetAfter.toMillis());
                return null;
            });
            errors.succeeded("throttle");
            return ((Number) results.get(0)).longValue();
        } catch (DataAccessException e) {
            errors.failed("throttle", e);
            return fallback.increment(key, forgetAfter);
        }
    }

    @Override
    public void blockUntil(String key, long untilMillis) {
        long ttl = untilMillis - clock.millis();
        if (ttl <= 0) {
            return;
        }
        try {
            redis.opsForValue().set(BLOCKED + key, Long.toString(untilMillis), Duration.ofMillis(ttl));
        } catch (DataAccessException e) {
            errors.failed("throttle", e);
            fallback.blockUntil(key, untilMillis);
        }
    }

    @Override
    public long blockedUntil(String key) {
        try {
            String until = redis.opsForValue().get(BLOCKED + key);
            return Math.max(until == null ? 0 : Long.parseLong(until), fallback.blockedUntil(key));
        } catch (DataAccessException e) {
            errors.failed("throttle", e);
            return fallback.blockedUntil(key);
        }
    }

    @Override
    public void forget(String key) {
        fallback.forget(key);
        try {
            redis.delete(List.of(FAILURES + key, BLOCKED + key));
        } catch (DataAccessException e) {
            errors.failed("throttle", e);
        }
    }
}
