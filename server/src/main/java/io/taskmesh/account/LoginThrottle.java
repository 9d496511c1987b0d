package io.taskmesh.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing, per account and per client address: after the allowed number of
 * failures, each further failure doubles a waiting time (from {@code firstBlock} up to
 * {@code maxBlock}) during which log-ins are refused without checking the password. Counts are
 * forgotten after {@code maxBlock} without failures, or on a successful log-in to the account.
 * In-process: each node counts on its own.
 */
@Component
class LoginThrottle {

    private final LoginProperties properties;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    @Autowired
    LoginThrottle(LoginProperties properties) {
        this(properties, Clock.systemUTC());
    }

    LoginThrottle(LoginProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** How long the caller must wait before trying again, if it must. */
    Optional<Duration> waitBefore(String account, String address) {
        long now = clock.millis();
        long until = Math.max(blockedUntil("account:" + account), blockedUntil("address:" + address));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    void failed(String account, String address) {
        record("account:" + account, properties.maxFailuresPerAccount());
        record("address:" + address, properties.maxFailuresPerAddress());
    }

    void succeeded(String account) {
        failures.remove("account:" + account);
    }

    private long blockedUntil(String key) {
        Failures f = failures.get(key);
        return f == null ? 0 : f.blockedUntil;
    }

    private void record(String key, int allowed) {
        long now = clock.millis();
        failures.compute(key, (k, previous) -> {
            int count = previous == null || now - previous.last > properties.maxBlock().toMillis()
                    ? 1 : previous.count + 1;
            long blockedUntil = 0;
            if (count >= allowed) {
                int doublings = Math.min(count - allowed, 20);
                long block = Math.min(properties.firstBlock().toMillis() << doublings, properties.maxBlock().toMillis());
                blockedUntil = now + block;
            }
            return new Failures(count, now, blockedUntil);
        });
    }

    /** Forgets stale counts so that the map cannot grow without bound. */
    @Scheduled(fixedDelay = 60_000)
    void forgetStale() {
        long horizon = clock.millis() - properties.maxBlock().toMillis();
        failures.values().removeIf(f -> f.last < horizon && f.blockedUntil < clock.millis());
    }

    private record Failures(int count, long last, long blockedUntil) {
    }
}
