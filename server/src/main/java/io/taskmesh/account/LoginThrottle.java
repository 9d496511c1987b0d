package io.taskmesh.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing, per account and per client address: after the allowed number of
 * failures, each further failure doubles a waiting time (from {@code firstBlock} up to
 * {@code maxBlock}) during which log-ins are refused without checking the password. Counts are
 * forgotten after {@code maxBlock} without failures, or on a successful log-in to the account.
 * The counts live in {@link LoginFailures}: in this process, or in Redis so that all nodes count together.
 */
@Component
class LoginThrottle {

    private final LoginProperties properties;
    private final Clock clock;
    private final LoginFailures failures;

    @Autowired
    LoginThrottle(LoginProperties properties, LoginFailures failures) {
        this(properties, Clock.systemUTC(), failures);
    }

    LoginThrottle(LoginProperties properties, Clock clock) {
        this(properties, clock, new InProcessLoginFailures(clock));
    }

    LoginThrottle(LoginProperties properties, Clock clock, LoginFailures failures) {
        this.properties = properties;
        this.clock = clock;
        this.failures = failures;
    }

    /** How long the caller must wait before trying again, if it must. */
    Optional<Duration> waitBefore(String account, String address) {
        long now = clock.millis();
        long until = Math.max(failures.blockedUntil("account:" + account), failures.blockedUntil("address:" + address));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    void failed(String account, String address) {
        record("account:" + account, properties.maxFailuresPerAccount());
        record("address:" + address, properties.maxFailuresPerAddress());
    }

    void succeeded(String account) {
        failures.forget("account:" + account);
    }

    private void record(String key, int allowed) {
        long count = failures.increment(key, properties.maxBlock());
        if (count >= allowed) {
            int doublings = (int) Math.min(count - allowed, 20);
            long block = Math.min(properties.firstBlock().toMillis() << doublings, properties.maxBlock().toMillis());
            failures.blockUntil(key, clock.millis() + block);
        }
    }

    /** Forgets stale in-process counts so that the map cannot grow without bound. */
    @Scheduled(fixedDelay = 60_000)
    void forgetStale() {
        if (failures instanceof InProcessLoginFailures local) {
            local.forgetStale();
        }
    }
}
