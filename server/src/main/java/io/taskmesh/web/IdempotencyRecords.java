package io.taskmesh.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.taskmesh.store.CollectionIndexes;

/**
 * Stored answers of POSTs sent with an {@code Idempotency-Key}, one per user and key, kept 24 hours
 * (a TTL index removes them in MongoDB; expired records are also ignored and swept here, for the
 * embedded store that has no TTL monitor).
 *
 * <p>A claim (a record not yet done) is a lease: the node running the request renews it every
 * {@link #RENEW_EVERY_MILLIS} ms while the request runs. A claim whose lease ran out belongs to a node that
 * died (or stalled) mid-request, and its key may be used again, so a client retrying after a
 * {@code kill -9} waits about {@link #LEASE} instead of minutes. Running such a request a second
 * time is harmless: a create meets the resource of the first run (its id is derived from the key,
 * see {@link NewIds}). Leases compare the clocks of different nodes, which NTP keeps far closer
 * than {@link #LEASE}.
 */
@Component
class IdempotencyRecords {

    static final String COLLECTION = "idempotency";
    static final Duration RETENTION = Duration.ofHours(24);
    /** How long a claim holds without renewal; a repeat meanwhile is answered 409 + Retry-After. */
    static final Duration LEASE = Duration.ofSeconds(10);
    static final long RENEW_EVERY_MILLIS = 2_000;

    private final MongoTemplate mongo;
    /** Keys claimed by requests running on this node, whose leases {@link #renewLeases} extends. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    IdempotencyRecords(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION, new Index().on("expiresAt", Sort.Direction.ASC).expire(Duration.ZERO));
    }

    @Document(COLLECTION)
    record IdempotencyRecord(@Id String id, String requestHash, boolean done, int status,
            Map<String, String> headers, String body, Instant createdAt, Instant leaseUntil, Instant expiresAt) {
    }

    /** Claims the key for a new request; false when the key is already taken (see {@link #find}). */
    boolean claim(String id, String requestHash) {
        Instant now = Instant.now();
        try {
            mongo.insert(new IdempotencyRecord(id, requestHash, false, 0, Map.of(), null, now, now.plus(LEASE),
                    now.plus(RETENTION)));
        } catch (DuplicateKeyException e) {
            return false;
        }
        running.add(id);
        return true;
    }

    /** The live record of the key, after dropping one that expired or was abandoned. */
    Optional<IdempotencyRecord> find(String id) {
        IdempotencyRecord existing = mongo.findById(id, IdempotencyRecord.class);
        if (existing == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        boolean expired = existing.expiresAt().isBefore(now);
        Instant leaseUntil = existing.leaseUntil() != null ? existing.leaseUntil() : existing.createdAt().plus(LEASE);
        boolean abandoned = !existing.done() && leaseUntil.isBefore(now);
        if (expired || abandoned) {
            mongo.remove(Query.query(Criteria.where("_id").is(id).and("createdAt").is(existing.createdAt())),
                    IdempotencyRecord.class);
            return Optional.empty();
        }
        return Optional.of(existing);
    }

    void complete(String id, int status, Map<String, String> headers, String body) {
        running.remove(id);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("done", true).set("status", status).set("headers", headers).set("body", body),
                IdempotencyRecord.class);
    }

    void release(String id) {
        running.remove(id);
        mongo.remove(Query.query(Criteria.where("_id").is(id).and("done").is(false)), IdempotencyRecord.class);
    }

    /** Extends the leases of the requests still running here (one write for all of them). */
    @Scheduled(fixedDelay = RENEW_EVERY_MILLIS)
    void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        mongo.updateMulti(Query.query(Criteria.where("_id").in(List.copyOf(running)).and("done").is(false)),
                new Update().set("leaseUntil", Instant.now().plus(LEASE)), IdempotencyRecord.class);
    }

    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    void sweepExpired() {
        mongo.remove(Query.query(Criteria.where("expiresAt").lt(Instant.now())), IdempotencyRecord.class);
    }
}
