package io.taskmesh.account;

import java.time.Duration;

/**
 * Where {@link LoginThrottle} keeps its counts: in this process, or in Redis so that every node
 * counts together. The policy (how many failures, how long to wait) is the throttle's alone.
 */
interface LoginFailures {

    /** Counts one more failure under {@code key}; the count is forgotten after {@code forgetAfter} without failures. */
    long increment(String key, Duration forgetAfter);

    /** Refuses log-ins under {@code key} until {@code untilMillis} (epoch milliseconds). */
    void blockUntil(String key, long untilMillis);

    /** Until when log-ins under {@code key} are refused (epoch milliseconds), 0 when they are not. */
    long blockedUntil(String key);

    /** Forgets the count and any block of {@code key}. */
    void forget(String key);
}
