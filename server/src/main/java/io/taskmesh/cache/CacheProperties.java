package io.taskmesh.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The read cache in Redis (only when Redis is configured). {@code ttl} bounds how long an entry
 * can outlive a version bump that never reached Redis; the circuit breaker opens after
 * {@code failureThreshold} consecutive Redis failures and lets one probe through after
 * {@code openFor}; failed bumps are retried every {@code replayEvery}. Each node also keeps up to
 * {@code localSize} of the entries it read (an entry names its version, so it never changes); unset,
 * a quarter of the heap ({@link #localBytes}).
 */
@ConfigurationProperties("taskmesh.cache")
public record CacheProperties(
        @DefaultValue("30s") Duration ttl,
        @DefaultValue("3") int failureThreshold,
        @DefaultValue("2s") Duration openFor,
        @DefaultValue("250ms") Duration replayEvery,
        DataSize localSize) {

    /**
     * The bytes of local copies: {@code localSize}, or a quarter of the JVM's maximum heap. A node's
     * hits cost one Redis round trip only while its working set fits; beyond that each hit fetches
     * the entry too (a first page is about 15 KB), so the default grows with the heap the node was given.
     */
    public long localBytes() {
        return localSize != null ? localSize.toBytes() : Runtime.getRuntime().maxMemory() / 4;
    }
}
