package io.taskmesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Updates;

/**
 * Many connections writing the same pages at once (updates, inserts and deletes under a unique
 * index): every acknowledged write is in the file after a stop that commits nothing more (as after
 * a {@code kill -9}), commits are shared between writes, and the store keeps answering
 * within the driver's timeouts. Concurrent writes during a commit once made the store wait for
 * itself forever under the cluster's mixed load ({@link DurableH2Backend}); that race did not show
 * in this process, so this test guards the writes' outcome, and the cluster test the load.
 */
class DurableH2BackendTest {

    private static final int WRITERS = 8;
    private static final int WRITES_EACH = 1_500;
    private static final int DOCUMENTS = 20;

    @TempDir
    Path dataDir;

    @Test
    void concurrentWritersOnTheSamePagesAllCommitAndTheStoreKeepsAnswering() throws Exception {
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = client(store)) {
            MongoCollection<Document> counters = client.getDatabase("t").getCollection("counters");
            MongoCollection<Document> log = client.getDatabase("t").getCollection("log");
            for (int i = 0; i < DOCUMENTS; i++) {
                counters.insertOne(new Document("_id", i).append("n", 0));
            }
            log.createIndex(new Document("writer", 1).append("i", 1), new IndexOptions().unique(true));
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    done.add(writers.submit(() -> {
                        for (int i = 0; i < WRITES_EACH; i++) {
                            counters.updateOne(Filters.eq("_id", (writer + i) % DOCUMENTS), Updates.inc("n", 1));
                            if (i % 10 == 0) {
                                log.insertOne(new Document("writer", writer).append("i", i).append("text", "x".repeat(200)));
                                log.insertOne(new Document("writer", writer).append("i", -i - 1));
                                log.deleteOne(Filters.and(Filters.eq("writer", writer), Filters.eq("i", -i - 1)));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : done) {
                    writer.get(120, TimeUnit.SECONDS); // a hung store fails here (and the driver times out first)
                }
            } finally {
                writers.shutdownNow();
            }
            long total = 0;
            for (Document counter : counters.find()) {
                total += counter.getInteger("n");
            }
            assertThat(total).isEqualTo((long) WRITERS * WRITES_EACH);
            long writes = WRITERS * (WRITES_EACH + 3L * (WRITES_EACH / 10)) + DOCUMENTS;
            assertThat(store.commits()).as("writes that queued during a commit share the next one")
                    .isPositive().isLessThan(writes);
            store.closeWithoutCommit();
        }
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = client(store)) {
            assertThat(client.getDatabase("t").getCollection("log").countDocuments())
                    .as("every acknowledged insert is in the file after a stop without a final commit")
                    .isEqualTo((long) WRITERS * (WRITES_EACH / 10));
        }
    }

    /** A store that stops answering fails the test within seconds, not at the driver's defaults. */
    private static MongoClient client(EmbeddedMongoStore store) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(store.connectionString()))
                .applyToSocketSettings(s -> s.readTimeout(20, TimeUnit.SECONDS))
                .applyToClusterSettings(s -> s.serverSelectionTimeout(20, TimeUnit.SECONDS))
                .build());
    }
}
