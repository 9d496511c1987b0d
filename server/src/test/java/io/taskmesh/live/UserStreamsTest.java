package io.taskmesh.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class UserStreamsTest {

    private final UserStreams<String> streams = new UserStreams<>();

    @Test
    void keepsEachUsersStreamsUntilTheyAreRemoved() {
        streams.add("ann", "tab 1");
        streams.add("ann", "tab 2");
        streams.add("bob", "phone");
        streams.remove("ann", "tab 1");
        streams.remove("bob", "not his");

        assertThat(streams.of("ann")).containsExactly("tab 2");
        assertThat(streams.of("bob")).containsExactly("phone");
        assertThat(streams.of("carl")).isEmpty();
        assertThat(streams.size()).isEqualTo(2);
    }

    /**
     * The user's new stream (another tab, or the reconnection of the same one) registers while the
     * old one closes on another thread. With the add and the removal as separate steps the new stream
     * was lost within the first thousand rounds here (both threads start each round together,
     * spinning); it must never be. At most 20,000 rounds or 5 s, whichever ends first on a busy machine.
     */
    @Test
    void aStreamAddedWhileTheUsersLastOneIsRemovedIsKept() throws Exception {
        int rounds = 20_000;
        AtomicInteger started = new AtomicInteger(-1);
        AtomicInteger removed = new AtomicInteger(-1);
        Thread closer = new Thread(() -> {
            for (int round = 0; round < rounds; round++) {
                if (!await(started, round)) {
                    return;
                }
                streams.remove("ann", "old " + round);
                removed.set(round);
            }
        }, "closer");
        closer.setDaemon(true);
        closer.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (int round = 0; round < rounds && System.nanoTime() < end; round++) {
                streams.add("ann", "old " + round);
                started.set(round);
                streams.add("ann", "new " + round);
                assertThat(await(removed, round)).isTrue();
                assertThat(streams.of("ann")).as("round %d", round).containsExactly("new " + round);
                streams.remove("ann", "new " + round);
            }
        } finally {
            closer.interrupt();
        }
    }

    /** Spins (yielding now and then, for a busy machine) until {@code value} reaches {@code round}; false if interrupted. */
    private static boolean await(AtomicInteger value, int round) {
        for (int spins = 1; value.get() < round; spins++) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (spins % 1_000 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return true;
    }
}
