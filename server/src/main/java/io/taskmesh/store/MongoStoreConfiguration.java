package io.taskmesh.store;

import java.util.concurrent.TimeUnit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener;

/**
 * Connects to the configured MongoDB, or starts the embedded store and connects to it over the
 * wire protocol, so both modes share one data-access path.
 */
@Configuration(proxyBeanMethods = false)
class MongoStoreConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedStoreHolder embeddedStore(StoreProperties properties) {
        if (!properties.embedded()) {
            return new EmbeddedStoreHolder(null);
        }
        return new EmbeddedStoreHolder(properties.inMemory()
                ? EmbeddedMongoStore.inMemory()
                : EmbeddedMongoStore.open(properties.dataDir(), "127.0.0.1", 0));
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(StoreProperties properties, EmbeddedStoreHolder embedded, MeterRegistry metrics) {
        // Every command sent to the store is timed and counted (mongodb.driver.commands): Boot's own
        // listener is not applied to a client built here, and the count shows what the cache saves.
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .addCommandListener(new MongoMetricsCommandListener(metrics));
        if (embedded.store() != null) {
            settings.applyConnectionString(new ConnectionString(embedded.store().connectionString()))
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS));
        } else {
            // Production settings: acknowledged by a majority and journaled, retried once on failover.
            settings.applyConnectionString(new ConnectionString(properties.mongodbUri()))
                    .writeConcern(WriteConcern.MAJORITY.withJournal(true))
                    .retryWrites(true)
                    .retryReads(true);
        }
        return MongoClients.create(settings.build());
    }

    @Bean
    MongoDatabaseFactory mongoDatabaseFactory(MongoClient client, StoreProperties properties) {
        return new SimpleMongoClientDatabaseFactory(client, properties.database());
    }

    /** Lets the embedded store be optional while still closing after the client. */
    record EmbeddedStoreHolder(EmbeddedMongoStore store) implements AutoCloseable {
        @Override
        public void close() {
            if (store != null) {
                store.close();
            }
        }
    }

    @Bean
    StoreDescription storeDescription(StoreProperties properties, EmbeddedStoreHolder embedded) {
        if (embedded.store() == null) {
            ConnectionString cs = new ConnectionString(properties.mongodbUri());
            return new StoreDescription("MongoDB at " + String.join(",", cs.getHosts())
                    + " (database '" + properties.database() + "', w=majority, journaled, retryable writes)");
        }
        if (embedded.store().file() == null) {
            return new StoreDescription("embedded MongoDB-wire store, in memory (data is lost on exit)");
        }
        return new StoreDescription("embedded MongoDB-wire store (H2 MVStore), data in "
                + embedded.store().file());
    }
}
