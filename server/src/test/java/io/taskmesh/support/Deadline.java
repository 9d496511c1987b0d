package io.taskmesh.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling briefly; never sleeps blindly. */
public final class Deadline {

    private Deadline() {
    }

    /** Polls {@code value} until {@code done} accepts it; fails with the last value after {@code limit}. */
    public static <T> T await(String what, Duration limit, Supplier<T> value, Predicate<T> done) {
        long end = System.nanoTime() + limit.toNanos();
        T last = null;
        Throwable lastError = null;
        while (true) {
            try {
                last = value.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > end) {
                AssertionError failure = new AssertionError("Timed out after " + limit + " waiting for " + what
                        + "; last value: " + last);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    public static void await(String what, Duration limit, BooleanSupplier condition) {
        await(what, limit, condition::getAsBoolean, Boolean::booleanValue);
    }
}
