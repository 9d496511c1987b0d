package io.taskmesh.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
 */
@Component
class IdempotencyRecords {

    static final String COLLECTION = "idempotency";
    static final Duration RETENTION = Duration.ofHours(24);
    /** A request still "in progress" after this long has died with its node; its key may be used again. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private final MongoTemplate mongo;

    IdempotencyRecords(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION, new Index().on("expiresAt", Sort.Direction.ASC).expire(Duration.ZERO));
    }

    @Document(COLLECTION)
    record IdempotencyRecord(@Id String id, String requestHash, boolean done, int status,
            Map<String, String> headers, String body, Instant createdAt, Instant expiresAt) {
    }

    /** Claims the key for a new request; empty when the key is already taken (see {@link #find}). */
    boolean claim(String id, String requestHash) {
        Instant now = Instant.now();
        try {
            mongo.insert(new IdempotencyRecord(id, requestHash, false, 0, Map.of(), null, now, now.plus(RETENTION)));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The live record of the key, after dropping one that expired or was abandoned. */
    Optional<IdempotencyRecord> find(String id) {
        IdempotencyRecord existing = mongo.findById(id, IdempotencyRecord.class);
        if (existing == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        boolean expired = existing.expiresAt().isBefore(now);
        boolean abandoned = !existing.done() && existing.createdAt().plus(ABANDONED_AFTER).isBefore(now);
        if (expired || abandoned) {
            mongo.remove(Query.query(Criteria.where("_id").is(id).and("createdAt").is(existing.createdAt())),
                    IdempotencyRecord.class);
            return Optional.empty();
        }
        return Optional.of(existing);
    }

    void complete(String id, int status, Map<String, String> headers, String body) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("done", true).set("status", status).set("headers", headers).set("body", body),
                IdempotencyRecord.class);
    }

    void release(String id) {
        mongo.remove(Query.query(Criteria.where("_id").is(id).and("done").is(false)), IdempotencyRecord.class);
    }

    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    void sweepExpired() {
        mongo.remove(Query.query(Criteria.where("expiresAt").lt(Instant.now())), IdempotencyRecord.class);
    }
}
