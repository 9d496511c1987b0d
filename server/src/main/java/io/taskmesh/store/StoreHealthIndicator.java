package io.taskmesh.store;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether the store answers a {@code ping}; part of readiness. (Spring Boot's own indicator sends
 * {@code hello}, which the embedded store does not know.)
 */
@Component
class StoreHealthIndicator extends AbstractHealthIndicator {

    private final MongoTemplate mongo;
    private final StoreDescription description;

    StoreHealthIndicator(MongoTemplate mongo, StoreDescription description) {
        super("Store health check failed");
        this.mongo = mongo;
        this.description = description;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        mongo.executeCommand(new Document("ping", 1));
        builder.up().withDetail("store", description.text());
    }
}
