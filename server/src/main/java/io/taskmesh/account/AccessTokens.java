package io.taskmesh.account;

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

/** Personal access tokens. The secret is shown once; only its hash is stored ({@link TokenHashes}). */
@Component
class AccessTokens {

    static final String COLLECTION = "tokens";
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
        String secret = TokenHashes.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TokenDocument token = new TokenDocument(new ObjectId().toHexString(), userId, name,
                TokenHashes.ofSecret(secret).orElseThrow(),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        mongo.insert(token);
        return new Issued(token, secret);
    }

    Optional<String> userIdFor(String secret) {
        return TokenHashes.ofSecret(secret).flatMap(hash -> cache.tokenOwner(hash, () -> Optional.ofNullable(
                mongo.findOne(Query.query(Criteria.where("hash").is(hash)), TokenDocument.class))
                .map(TokenDocument::userId)));
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

}
