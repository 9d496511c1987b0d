package io.taskmesh.redis;

import java.time.Duration;

import org.springframework.dao.DataAccessException;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import io.taskmesh.web.ApiException;

/**
 * The Redis session repository, made to fail fast: a Redis error becomes a 503 problem with
 * {@code Retry-After}, and for the next {@code retryAfter} every session lookup fails at once
 * without waiting on Redis (then one request tries again).
 */
class GuardedSessionRepository<S extends Session> implements SessionRepository<S> {

    private final SessionRepository<S> delegate;
    private final RedisErrors errors;
    private final Duration retryAfter;
    private volatile long downUntil;

    GuardedSessionRepository(SessionRepository<S> delegate, RedisErrors errors, Duration retryAfter) {
        this.delegate = delegate;
        this.errors = errors;
        this.retryAfter = retryAfter;
    }

    @Override
    public S createSession() {
        return delegate.createSession();
    }

    @Override
    public void save(S session) {
        guarded(() -> {
            delegate.save(session);
            return null;
        });
    }

    @Override
    public S findById(String id) {
        return guarded(() -> delegate.findById(id));
    }

    @Override
    public void deleteById(String id) {
        guarded(() -> {
            delegate.deleteById(id);
            return null;
        });
    }

    private <T> T guarded(java.util.function.Supplier<T> operation) {
        if (System.currentTimeMillis() < downUntil) {
            throw unavailable();
        }
        try {
            T result = operation.get();
            errors.succeeded("session");
            return result;
        } catch (DataAccessException | io.lettuce.core.RedisException e) {
            downUntil = System.currentTimeMillis() + retryAfter.toMillis();
            errors.failed("session", e);
            throw unavailable();
        }
    }

    private ApiException unavailable() {
        return ApiException.serviceUnavailable("Sessions are briefly unavailable; retry shortly "
                + "(requests with a personal access token are not affected)", Math.max(1, retryAfter.toSeconds()));
    }
}
