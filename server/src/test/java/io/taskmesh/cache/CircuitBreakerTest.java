package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(2), now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();
        breaker.failed();
        assertThat(breaker.allow()).as("a success resets the count").isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.failed();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allow()).isFalse();
    }

    @Test
    void letsOneProbeThroughAfterTheOpenTimeAndClosesOnItsSuccess() {
        open();
        now.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertThat(breaker.allow()).as("still open").isFalse();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(breaker.allow()).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.allow()).as("only one probe at a time").isFalse();
        breaker.succeeded();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.allow()).isTrue();
    }

    @Test
    void aFailedProbeOpensItAgainForTheWholeOpenTime() {
        open();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.allow()).isTrue();
        breaker.failed();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        now.addAndGet(Duration.ofMillis(1_500).toNanos());
        assertThat(breaker.allow()).isFalse();
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(breaker.allow()).isTrue();
    }

    @Test
    void aProbeThatNeverReportsIsReplacedAfterTheOpenTime() {
        open();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.allow()).isTrue();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.allow()).as("a new probe").isTrue();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        assertThat(breaker.allow()).isFalse();
    }
}
