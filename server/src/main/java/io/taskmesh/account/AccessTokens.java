package io.taskmesh.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.bson.types.ObjectId;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import io.taskmesh.cache.ReadCache;
import io.taskmesh.store.CollectionIndexes;
import io.taskmesh.web.Sha256;

/**
 * Personal access tokens. The secret is shown once; only its SHA-256 is stored (a fast hash is
 * enough for 256 random bits and keeps the per-request look-up cheap).
 */
@Component
class AccessTokens {

    static final String COLLECTION = "tokens";
    static final String PREFIX = "tm_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoTemplate mongo;
    private final ReadCache cache;

    AccessTokens(MongoTemplate mongo, ReadCache cache) {
        this.mongo = mongo;
        this.cache = cache;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION,
                new Index().on("hash", Sort.Direction.ASC).unique(),
                new Index().on("userId", Sort.Direction.ASC));
    }

    @Document(COLLECTION)
    record TokenDocument(@Id String id, String userId, String name, String hash, Instant createdAt) {
    }

    /** A newly issued token with its secret. */
    record Issued(TokenDocument token, String secret) {
    }

    Issued issue(String userId, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TokenDocument token = new TokenDocument(new ObjectId().toHexString(), userId, name, hash(secret),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        mongo.insert(token);
        return new Issued(token, secret);
    }

    Optional<String> userIdFor(String secret) {
        if (!secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = hash(secret);
        return cache.tokenOwner(hash, () -> Optional.ofNullable(
                mongo.findOne(Query.query(Criteria.where("hash").is(hash)), TokenDocument.class))
                .map(TokenDocument::userId));
    }

    List<TokenDocument> of(String userId) {
        return mongo.find(Query.query(Criteria.where("userId").is(userId)).with(Sort.by("createdAt")),
                TokenDocument.class);
    }

    boolean revoke(String userId, String tokenId) {
        boolean removed = mongo.remove(Query.query(Criteria.where("_id").is(tokenId).and("userId").is(userId)),
                TokenDocument.class).getDeletedCount() > 0;
        if (removed) {
            cache.tokenRevoked();
        }
        return removed;
    }

    private static String hash(String secret) {
        return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
    }
}
