package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final Duration FIRST = Duration.ofSeconds(30);
    static final Duration MAX = Duration.ofMinutes(15);

    /** A clock that moves only when told to. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    /** 5 failures per account, 3 per address. */
    final LoginThrottle throttle = new LoginThrottle(new LoginProperties(5, 3, FIRST, MAX), clock);

    private void fail(String account, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(account, address);
        }
    }

    @Test
    void nothingIsBlockedBeforeTheLimit() {
        fail("a@x", "10.0.0.1", 2);
        fail("b@x", "10.0.0.2", 4);
        assertThat(throttle.waitBefore("a@x", "10.0.0.1")).isEmpty();
        assertThat(throttle.waitBefore("b@x", "10.0.0.3")).isEmpty();
    }

    @Test
    void anAddressIsBlockedAfterItsLimitWhateverAccountItTries() {
        throttle.failed("a@x", "10.0.0.1");
        throttle.failed("b@x", "10.0.0.1");
        assertThat(throttle.waitBefore("c@x", "10.0.0.1")).isEmpty();
        throttle.failed("c@x", "10.0.0.1");

        assertThat(throttle.waitBefore("d@x", "10.0.0.1")).contains(FIRST);
        // The same accounts from another address are fine: none of them reached its own limit.
        assertThat(throttle.waitBefore("a@x", "10.0.0.2")).isEmpty();
        assertThat(throttle.waitBefore("c@x", "10.0.0.2")).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.waitBefore("d@x", "10.0.0.1")).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(throttle.waitBefore("d@x", "10.0.0.1")).isEmpty();
    }

    @Test
    void anAccountIsBlockedAfterItsLimitFromEveryAddress() {
        for (int i = 1; i <= 4; i++) {
            throttle.failed("victim@x", "10.0.1." + i);
        }
        assertThat(throttle.waitBefore("victim@x", "10.0.2.1")).isEmpty();
        throttle.failed("victim@x", "10.0.1.5");
        assertThat(throttle.waitBefore("victim@x", "10.0.2.1")).contains(FIRST);
        assertThat(throttle.waitBefore("other@x", "10.0.1.1")).isEmpty();
    }

    @Test
    void eachFurtherFailureDoublesTheWaitUpToTheMaximum() {
        fail("a@x", "10.0.0.1", 2);
        fail("a@x", "10.0.0.2", 2);
        throttle.failed("a@x", "10.0.0.3");
        // Queried from an address that never failed, so only the account's count matters.
        assertThat(throttle.waitBefore("a@x", "10.8.0.1")).contains(FIRST);
        Duration expected = FIRST;
        for (int round = 0; round < 8; round++) {
            // Wait out the block, then fail again (attempts during a block are refused before counting).
            clock.advance(throttle.waitBefore("a@x", "10.8.0.1").orElseThrow());
            assertThat(throttle.waitBefore("a@x", "10.8.0.1")).isEmpty();
            throttle.failed("a@x", "10.9.0." + round);
            expected = expected.multipliedBy(2).compareTo(MAX) > 0 ? MAX : expected.multipliedBy(2);
            assertThat(throttle.waitBefore("a@x", "10.8.0.1")).as("round " + round).contains(expected);
        }
        assertThat(expected).isEqualTo(MAX);
    }

    @Test
    void aSuccessfulLogInResetsTheAccountCount() {
        fail("a@x", "10.0.0.1", 2);
        fail("a@x", "10.0.0.2", 2);
        throttle.succeeded("a@x");
        fail("a@x", "10.0.0.3", 2);
        fail("a@x", "10.0.0.4", 2);
        assertThat(throttle.waitBefore("a@x", "10.0.0.5")).isEmpty();
        throttle.failed("a@x", "10.0.0.5");
        assertThat(throttle.waitBefore("a@x", "10.0.0.6")).contains(FIRST);
    }

    @Test
    void aSuccessfulLogInDoesNotResetTheAddressCount() {
        fail("a@x", "10.0.0.1", 2);
        throttle.succeeded("a@x");
        throttle.failed("b@x", "10.0.0.1");
        assertThat(throttle.waitBefore("c@x", "10.0.0.1")).contains(FIRST);
    }

    @Test
    void failuresAreForgottenAfterTheMaximumBlockWithoutFailures() {
        fail("a@x", "10.0.0.1", 2);
        fail("a@x", "10.0.0.2", 2);
        clock.advance(MAX.plusMillis(1));
        throttle.failed("a@x", "10.0.0.3");
        assertThat(throttle.waitBefore("a@x", "10.0.0.3")).isEmpty();

        // After a long series of blocks, too: the next failure after a quiet period starts from one.
        fail("b@x", "10.0.1.1", 2);
        fail("b@x", "10.0.1.2", 3);
        clock.advance(FIRST);
        throttle.failed("b@x", "10.0.1.3");
        assertThat(throttle.waitBefore("b@x", "10.0.1.4")).contains(FIRST.multipliedBy(2));
        clock.advance(MAX.plusMillis(1));
        assertThat(throttle.waitBefore("b@x", "10.0.1.4")).isEmpty();
        throttle.failed("b@x", "10.0.1.4");
        assertThat(throttle.waitBefore("b@x", "10.0.1.5")).isEmpty();
    }

    @Test
    void failuresWithinTheMaximumBlockAddUp() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("a@x", "10.0.0." + i);
            clock.advance(MAX.minusSeconds(1));
        }
        throttle.failed("a@x", "10.0.0.9");
        assertThat(throttle.waitBefore("a@x", "10.0.0.10")).contains(FIRST);
    }

    @Test
    void forgettingStaleCountsKeepsBlocksThatAreStillRunning() {
        fail("a@x", "10.0.0.1", 5);
        throttle.forgetStale();
        assertThat(throttle.waitBefore("a@x", "10.0.0.2")).contains(FIRST);
        clock.advance(MAX.plusMillis(1));
        throttle.forgetStale();
        assertThat(throttle.waitBefore("a@x", "10.0.0.2")).isEmpty();
        // Forgotten: the account starts counting from one again.
        throttle.failed("a@x", "10.0.0.2");
        assertThat(throttle.waitBefore("a@x", "10.0.0.2")).isEmpty();
    }
}
