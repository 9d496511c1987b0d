package io.taskmesh.cache;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides whether the cache may talk to Redis. Closed: every call goes through, and
 * {@code threshold} consecutive failures open it. Open: no call goes through for {@code openFor}
 * (requests use MongoDB only and pay no Redis timeout). Then half-open: one call is let through as
 * a probe; its success closes the breaker, its failure opens it again. A probe that never reports
 * (its caller died) is replaced by another after {@code openFor}.
 */
final class CircuitBreaker {

    /** The breaker's states, as exported in the metrics. */
    enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long since;

    CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** True when the caller may try Redis now (in half-open, only the one probe). */
    synchronized boolean allow() {
        long now = nanoClock.getAsLong();
        return switch (state) {
            case CLOSED -> true;
            case OPEN, HALF_OPEN -> {
                if (now - since < openForNanos) {
                    yield false;
                }
                state = State.HALF_OPEN;
                since = now;
                yield true;
            }
        };
    }

    synchronized void succeeded() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    synchronized void failed() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            since = nanoClock.getAsLong();
            consecutiveFailures = 0;
        }
    }

    synchronized State state() {
        return state;
    }
}
