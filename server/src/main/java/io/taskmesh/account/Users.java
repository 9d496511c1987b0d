package io.taskmesh.account;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bson.types.ObjectId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import io.taskmesh.store.CollectionIndexes;
import io.taskmesh.web.ApiException;

/** Finds and stores user accounts; the public way for other features to look users up. */
@Component
public class Users {

    static final String COLLECTION = "users";

    private final MongoTemplate mongo;

    Users(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION, new Index().on("email", Sort.Direction.ASC).unique());
    }

    static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public Optional<UserView> findByEmail(String email) {
        return findDocumentByEmail(email).map(UserView::of);
    }

    public List<UserView> findAll(Collection<String> ids) {
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), UserDocument.class).stream()
                .map(UserView::of).toList();
    }

    Optional<UserDocument> findDocumentByEmail(String email) {
        return Optional.ofNullable(mongo.findOne(
                Query.query(Criteria.where("email").is(normalizeEmail(email))), UserDocument.class));
    }

    Optional<UserDocument> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, UserDocument.class));
    }

    UserDocument create(String email, String displayName, String passwordHash) {
        UserDocument user = new UserDocument(new ObjectId().toHexString(), normalizeEmail(email), displayName,
                passwordHash, java.time.Instant.now());
        try {
            return mongo.insert(user);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("An account with this email already exists");
        }
    }
}
