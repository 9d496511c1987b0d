package io.taskmesh.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Failure counts of this node only (the embedded mode, and the fallback while Redis fails). */
class InProcessLoginFailures implements LoginFailures {

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    InProcessLoginFailures(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long increment(String key, Duration forgetAfter) {
        long now = clock.millis();
        return failures.compute(key, (k, previous) -> previous == null || now - previous.last > forgetAfter.toMillis()
                ? new Failures(1, now, 0, forgetAfter.toMillis())
                : new Failures(previous.count + 1, now, previous.blockedUntil, forgetAfter.toMillis())).count;
    }

    @Override
    public void blockUntil(String key, long untilMillis) {
        failures.compute(key, (k, f) -> f == null
                ? new Failures(0, clock.millis(), untilMillis, 0)
                : new Failures(f.count, f.last, untilMillis, f.forgetAfter));
    }

    @Override
    public long blockedUntil(String key) {
        Failures f = failures.get(key);
        return f == null ? 0 : f.blockedUntil;
    }

    @Override
    public void forget(String key) {
        failures.remove(key);
    }

    /** Forgets stale counts so that the map cannot grow without bound. */
    void forgetStale() {
        long now = clock.millis();
        failures.values().removeIf(f -> now - f.last > f.forgetAfter && f.blockedUntil < now);
    }

    private record Failures(long count, long last, long blockedUntil, long forgetAfter) {
    }
}
