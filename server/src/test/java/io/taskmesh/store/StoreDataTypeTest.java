package io.taskmesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * Documents written to the store file as BSON and ids as their bytes ({@link StoreDataType}) come
 * back as they went in, every BSON type included, after the store is closed and reopened; and a file written by earlier
 * versions (Java serialization, the library's default) still opens with all its documents, which
 * stay readable once the pages holding them are rewritten. Unique indexes keep their keys in value
 * order; those of an earlier file are rebuilt in that order once, and keep rejecting duplicates.
 */
class StoreDataTypeTest {

    @TempDir
    Path dataDir;

    @Test
    void everyBsonTypeComesBackAfterTheStoreIsReopened() {
        List<Document> written = documents(300);
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            client.getDatabase("t").getCollection("docs").insertMany(documents(written));
        }
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            assertThat(all(client.getDatabase("t").getCollection("docs"))).isEqualTo(written);
        }
    }

    @Test
    void aFileOfEarlierVersionsOpensAndStaysReadableAsItsPagesAreRewritten() {
        List<Document> written = documents(300);
        MVStore legacy = new MVStore.Builder().fileName(dataDir.resolve("taskmesh.mv").toString()).autoCommitDisabled()
                .compress().open();
        MongoServer server = new MongoServer(new H2Backend(legacy));
        try (MongoClient client = MongoClients.create("mongodb://" + server.bind().getHostString() + ":"
                + server.getLocalAddress().getPort())) {
            client.getDatabase("t").getCollection("docs").insertMany(documents(written));
        } finally {
            server.shutdownNow();
        }

        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("t").getCollection("docs");
            assertThat(all(docs)).as("written by the library's own format").isEqualTo(written);
            docs.updateMany(Filters.lt("n", 100), Updates.set("text", "changed"));
            docs.insertOne(new Document("_id", new ObjectId()).append("n", 1000));
        }
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("t").getCollection("docs");
            assertThat(docs.countDocuments()).isEqualTo(301);
            assertThat(docs.countDocuments(Filters.eq("text", "changed"))).isEqualTo(100);
            assertThat(all(docs).subList(100, 300)).as("documents in both formats").isEqualTo(written.subList(100, 300));
        }
    }

    @Test
    void documentsAndIdsAreWrittenBehindAMarkerAndTheLibrarysOwnFormatIsReadToo() {
        StoreDataType type = new StoreDataType();
        de.bwaldvogel.mongo.bson.ObjectId id = new de.bwaldvogel.mongo.bson.ObjectId();
        de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document("_id", id)
                .append("title", "milk").append("position", 2.0)
                .append("members", List.of(new de.bwaldvogel.mongo.bson.Document("userId", "u1")));

        java.nio.ByteBuffer bytes = written(type, document);
        assertThat(bytes.get(0)).as("the document marker").isEqualTo((byte) 0xB5);
        assertThat(bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(1)).as("one BSON document follows")
                .isEqualTo(bytes.remaining() - 1);
        assertThat(type.read(bytes)).isEqualTo(document);
        assertThat(bytes.hasRemaining()).isFalse();

        java.nio.ByteBuffer key = written(type, id);
        assertThat(key.get(0)).as("the id marker").isEqualTo((byte) 0xB6);
        assertThat(key.remaining()).as("marker and 12 bytes").isEqualTo(13);
        assertThat(type.read(key)).isEqualTo(id);

        org.h2.mvstore.type.ObjectDataType library = new org.h2.mvstore.type.ObjectDataType();
        assertThat(type.read(written(library, document))).as("a document of an earlier version").isEqualTo(document);
        assertThat(type.read(written(library, id))).as("an id of an earlier version").isEqualTo(id);
        assertThat(type.read(written(library, "a string id"))).isEqualTo("a string id");

        for (int i = 0; i < 100; i++) {
            Object a = i % 10 == 0 ? "string " + i : new de.bwaldvogel.mongo.bson.ObjectId();
            de.bwaldvogel.mongo.bson.ObjectId b = new de.bwaldvogel.mongo.bson.ObjectId();
            assertThat(Integer.signum(type.compare(a, b))).as("keys keep the library's order")
                    .isEqualTo(Integer.signum(library.compare(a, b))).isNotZero();
        }
    }

    @Test
    void uniqueIndexKeysAreWrittenAsBsonAndOrderedByValue() {
        StoreDataType type = new StoreDataType();
        KeyValue key = new KeyValue("ann@example.com", 2.0, new de.bwaldvogel.mongo.bson.ObjectId(), null,
                List.of("a", 1.0));

        java.nio.ByteBuffer bytes = written(type, key);
        assertThat(bytes.get(0)).as("the index key marker").isEqualTo((byte) 0xB7);
        assertThat(type.read(bytes)).isEqualTo(key);
        assertThat(bytes.hasRemaining()).isFalse();
        assertThat(type.read(written(new org.h2.mvstore.type.ObjectDataType(), key)))
                .as("a key of an earlier version").isEqualTo(key);

        List<KeyValue> inOrder = List.of(new KeyValue((Object) null), new KeyValue(2.0), new KeyValue(10.0),
                new KeyValue("b"), new KeyValue("b", 1.0), new KeyValue("c"), new KeyValue("c", "a"));
        for (int i = 0; i < inOrder.size(); i++) {
            for (int j = 0; j < inOrder.size(); j++) {
                assertThat(Integer.signum(type.compare(inOrder.get(i), inOrder.get(j))))
                        .as("%s against %s", inOrder.get(i), inOrder.get(j)).isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void uniqueIndexesOfAnEarlierFileAreRebuiltInValueOrderOnceAndStillRejectDuplicates() {
        MVStore legacy = new MVStore.Builder().fileName(dataDir.resolve("taskmesh.mv").toString()).autoCommitDisabled()
                .compress().open();
        MongoServer server = new MongoServer(new H2Backend(legacy));
        try (MongoClient client = MongoClients.create("mongodb://" + server.bind().getHostString() + ":"
                + server.getLocalAddress().getPort())) {
            MongoCollection<Document> users = client.getDatabase("t").getCollection("users");
            users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            for (int i = 0; i < 500; i++) {
                users.insertOne(new Document("_id", "user" + i).append("email", "person" + i + "@example.com"));
            }
        } finally {
            server.shutdownNow();
        }

        String emails = "t.users._index_email_1";
        for (int start = 0; start < 2; start++) {
            try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                    MongoClient client = MongoClients.create(store.connectionString())) {
                MongoCollection<Document> users = client.getDatabase("t").getCollection("users");
                assertThat(users.countDocuments()).isEqualTo(500 + start);
                assertThat(users.find(Filters.eq("email", "person321@example.com")).first())
                        .isEqualTo(new Document("_id", "user321").append("email", "person321@example.com"));
                assertThat(users.find(Filters.eq("_id", "user77")).first()).isNotNull();
                assertThatThrownBy(() -> users.insertOne(new Document("_id", "other").append("email",
                        "person5@example.com"))).as("a taken e-mail, start %d", start)
                        .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
                assertThatThrownBy(() -> users.insertOne(new Document("_id", "user5")))
                        .as("a taken id, start %d", start).isInstanceOf(MongoWriteException.class);
                users.insertOne(new Document("_id", "new" + start).append("email", "new" + start + "@example.com"));
            }
            MVStore file = new MVStore.Builder().fileName(dataDir.resolve("taskmesh.mv").toString()).readOnly().open();
            try {
                assertThat(file.openMap(IndexedH2Database.FORMATS_MAP).get(emails))
                        .isEqualTo(IndexedH2Database.KEYS_IN_VALUE_ORDER);
                List<Object> keys = new ArrayList<>(file.openMap(emails,
                        new org.h2.mvstore.MVMap.Builder<Object, Object>().keyType(new StoreDataType())).keySet());
                assertThat(keys).hasSize(501 + start);
                List<Object> sorted = new ArrayList<>(keys);
                sorted.sort((a, b) -> ValueComparator.asc().compare(((KeyValue) a).get(0), ((KeyValue) b).get(0)));
                assertThat(keys).as("in value order after start %d", start).isEqualTo(sorted);
                assertThat(file.hasMap(emails + ".copy")).isFalse();
            } finally {
                file.close();
            }
        }
    }

    private static java.nio.ByteBuffer written(org.h2.mvstore.type.DataType<Object> type, Object value) {
        org.h2.mvstore.WriteBuffer buffer = new org.h2.mvstore.WriteBuffer();
        type.write(buffer, value);
        return buffer.getBuffer().flip();
    }

    private static List<Document> all(MongoCollection<Document> docs) {
        return docs.find().sort(Sorts.ascending("n")).limit(300).into(new ArrayList<>());
    }

    private static List<Document> documents(int count) {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(new Document("_id", new ObjectId())
                    .append("n", i)
                    .append("long", 1L << 40 | i)
                    .append("double", i / 3.0)
                    .append("decimal", Decimal128.parse("12345.6789"))
                    .append("flag", i % 2 == 0)
                    .append("none", null)
                    .append("text", "task " + i + " — ünïcødé ✓")
                    .append("date", new Date(1_700_000_000_000L + i))
                    .append("uuid", new Binary((byte) 4, uuidBytes(UUID.randomUUID())))
                    .append("bytes", new Binary(new byte[] {1, 2, (byte) i}))
                    .append("members", List.of(new Document("userId", "u" + i).append("role", "owner"),
                            new Document("userId", "v" + i).append("role", "viewer")))
                    .append("nested", new Document("a", new Document("b", List.of(1, 2L, 3.5, "x")))));
        }
        return documents;
    }

    private static byte[] uuidBytes(UUID uuid) {
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    /** Fresh copies, so that what the driver does to the inserted ones cannot change the expected ones. */
    private static List<Document> documents(List<Document> expected) {
        return expected.stream().map(Document::new).toList();
    }
}
