package io.taskmesh.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What one node's own metrics say about its cache and its MongoDB commands. Hits, misses and
 * bypasses count cached responses: the owners of access tokens ({@code read=token}) are left out.
 */
record CacheMetrics(MeterRegistry registry) {

    double hits() {
        return sum("taskmesh.cache.hits");
    }

    double misses() {
        return sum("taskmesh.cache.misses");
    }

    /** Hits answered ahead of the filter chain (all reads, also of token owners). */
    double fastHits() {
        return registry.find("taskmesh.cache.fast").counters().stream().mapToDouble(Counter::count).sum();
    }

    double bypassed() {
        return sum("taskmesh.cache.bypassed");
    }

    /** MongoDB commands sent by the node, except the hourly sweep of idempotency records. */
    double mongoCommands() {
        return registry.find("mongodb.driver.commands").timers().stream()
                .filter(t -> !"idempotency".equals(t.getId().getTag("collection")))
                .mapToDouble(Timer::count).sum();
    }

    /** MongoDB {@code find} commands on one collection. */
    double finds(String collection) {
        return commands("find", collection);
    }

    /** MongoDB commands of one kind ({@code find}, {@code insert}, ...) on one collection. */
    double commands(String command, String collection) {
        return registry.find("mongodb.driver.commands").tag("command", command).tag("collection", collection)
                .timers().stream().mapToDouble(Timer::count).sum();
    }

    double pendingBumps() {
        return registry.get("taskmesh.cache.pending.bumps").gauge().value();
    }

    private double sum(String name) {
        return registry.find(name).counters().stream().filter(c -> !"token".equals(c.getId().getTag("read")))
                .mapToDouble(Counter::count).sum();
    }
}
