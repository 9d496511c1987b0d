package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sharing of concurrent loads is tested for real in {@code ReadCacheTest} (one MongoDB load for many misses). */
class SingleFlightTest {

    private final SingleFlight<String> flight = new SingleFlight<>();

    @Test
    void aFailedLoadIsNotRememberedAndTheNextCallerLoadsAgain() {
        assertThatThrownBy(() -> flight.load("k", () -> {
            throw new IllegalStateException("store down");
        })).hasMessage("store down");
        assertThat(flight.load("k", () -> "loaded")).isEqualTo("loaded");
        assertThat(flight.load("k", () -> "again")).as("a finished load is not a cache").isEqualTo("again");
    }
}
