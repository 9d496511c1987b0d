package io.taskmesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * The embedded store's non-unique indexes ({@link EqualityIndex}), over the MongoDB driver: every query
 * gives the same documents on a collection with the index as on one without, through inserts, updates
 * of the indexed fields and deletes; the index is used for the queries it serves; and it is rebuilt
 * when a durable store is reopened.
 */
class EqualityIndexTest {

    private static final String LIST_INDEX = "listId_1_position_1";
    private static final String MEMBER_INDEX = "members.userId_1";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void queriesGiveTheSameDocumentsWithAndWithoutTheIndex() {
        String db = newDatabaseName();
        MongoDatabase database = connect(EmbeddedMongoStore.inMemory()).getDatabase(db);
        MongoCollection<Document> indexed = database.getCollection("indexed");
        MongoCollection<Document> plain = database.getCollection("plain");
        indexed.createIndex(Indexes.ascending("listId", "position"));
        indexed.createIndex(Indexes.ascending("members.userId"));

        // Documents inserted before the index exists are indexed when it is created: insert some first elsewhere.
        MongoCollection<Document> late = database.getCollection("late");
        List<Document> documents = documents();
        late.insertMany(copies(documents));
        late.createIndex(Indexes.ascending("listId"));

        indexed.insertMany(copies(documents));
        plain.insertMany(copies(documents));
        assertSame(indexed, plain);
        assertSame(late, plain);

        // Updates that move documents between values, add and remove array elements, unset the field.
        for (MongoCollection<Document> c : List.of(indexed, plain, late)) {
            c.updateMany(Filters.eq("listId", "a"), Updates.set("listId", "moved"));
            c.updateOne(Filters.eq("_id", "d-list-b"), Updates.set("listId", List.of("a", "x")));
            c.updateOne(Filters.eq("_id", "d-members"), Updates.pull("members", new Document("userId", "u1")));
            c.updateOne(Filters.eq("_id", "d-members-2"),
                    Updates.push("members", new Document("userId", "u1")));
            c.updateOne(Filters.eq("_id", "d-completed"), Updates.unset("listId"));
            c.updateOne(Filters.eq("_id", "d-null"), Updates.set("listId", "a"));
            c.replaceOne(Filters.eq("_id", "d-number"), new Document("listId", "c").append("position", 7));
            c.updateOne(Filters.eq("_id", "d-new"), Updates.set("listId", "a"),
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
        }
        assertSame(indexed, plain);
        assertSame(late, plain);

        // Deletes through the index and around it.
        for (MongoCollection<Document> c : List.of(indexed, plain, late)) {
            c.deleteMany(Filters.eq("listId", "moved"));
            c.deleteOne(Filters.eq("_id", "d-array"));
            c.deleteMany(Filters.eq("members.userId", "u3"));
        }
        assertSame(indexed, plain);
        assertSame(late, plain);
        assertThat(indexed.countDocuments()).isEqualTo(plain.countDocuments());
    }

    @Test
    void theIndexServesEqualityQueriesAndLeavesTheRestToTheScan() {
        String db = newDatabaseName();
        MongoCollection<Document> tasks = connect(EmbeddedMongoStore.inMemory()).getDatabase(db).getCollection("tasks");
        tasks.createIndex(Indexes.ascending("listId", "position"));
        tasks.createIndex(Indexes.ascending("members.userId"));
        tasks.insertMany(copies(documents()));

        assertUsesIndex(db, LIST_INDEX, tasks, Filters.eq("listId", "a"));
        assertUsesIndex(db, LIST_INDEX, tasks, Filters.in("listId", "a", "c"));
        assertUsesIndex(db, LIST_INDEX, tasks, Filters.and(Filters.eq("listId", "a"), Filters.eq("completed", false),
                Filters.or(Filters.gt("position", 1), Filters.eq("position", 1))));
        assertUsesIndex(db, MEMBER_INDEX, tasks, Filters.eq("members.userId", "u2"));
        assertUsesIndex(db, MEMBER_INDEX, tasks, Filters.and(Filters.eq("_id", "d-members"),
                Filters.eq("members.userId", "u2")));

        for (Bson scan : List.of(Filters.eq("listId", null), Filters.eq("listId", 1), Filters.ne("listId", "a"),
                Filters.regex("listId", "^a"), Filters.in("listId", "a", null), Filters.eq("listId", List.of("a", "b")),
                Filters.or(Filters.eq("listId", "a"), Filters.eq("listId", "c")))) {
            long before = EqualityIndex.lookups(db, "tasks", LIST_INDEX);
            tasks.find(scan).into(new ArrayList<>());
            assertThat(EqualityIndex.lookups(db, "tasks", LIST_INDEX)).as("%s", scan).isEqualTo(before);
        }
    }

    @Test
    void aReopenedDurableStoreRebuildsAndUsesTheIndex() throws Exception {
        dataDir = Files.createTempDirectory("taskmesh-index-");
        String db = newDatabaseName();
        try (EmbeddedMongoStore store = EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> tasks = client.getDatabase(db).getCollection("tasks");
            tasks.createIndex(Indexes.ascending("listId", "position"));
            tasks.insertMany(copies(documents()));
            tasks.updateOne(Filters.eq("_id", "d-list-b"), Updates.set("listId", "a"));
        }

        MongoCollection<Document> tasks = connect(EmbeddedMongoStore.open(dataDir, "127.0.0.1", 0))
                .getDatabase(db).getCollection("tasks");
        long before = EqualityIndex.lookups(db, "tasks", LIST_INDEX);
        List<Object> ids = ids(tasks.find(Filters.eq("listId", "a")).sort(Sorts.ascending("_id")));
        assertThat(EqualityIndex.lookups(db, "tasks", LIST_INDEX)).isGreaterThan(before);
        assertThat(ids).containsExactly("d-array", "d-list-a", "d-list-a-2", "d-list-b");
    }

    @Test
    void aSortedQueryOnOneListReadsTheCompoundIndexInOrderAndGivesWhatASortWould() {
        String db = newDatabaseName();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Ties on position, numbers of three types, a missing position: the order must still be the sort's.
            Document doc = new Document("_id", String.format("t-%03d", (i * 7) % 300)).append("listId", i % 3 == 0 ? "a" : "b")
                    .append("completed", i % 4 == 0);
            if (i % 50 != 7) {
                doc.append("position", i % 5 == 0 ? (Object) (long) (i / 4) : i % 5 == 1 ? (Object) (i / 4 + 0.5) : (Object) (i / 4));
            }
            docs.add(doc);
        }
        Twins twins = twins(db, Indexes.ascending("listId", "position", "_id"), docs);
        MongoCollection<Document> tasks = twins.indexed();
        MongoCollection<Document> plain = twins.plain();

        String index = "listId_1_position_1__id_1";
        List<Bson> sorts = List.of(Sorts.ascending("position", "_id"), Sorts.ascending("position"),
                Sorts.descending("position", "_id"), Sorts.descending("position"));
        List<Bson> inIndexOrder = sorts.subList(0, 3); // reversed without _id, ties would be reversed too
        List<Bson> filters = List.of(Filters.eq("listId", "a"), Filters.eq("listId", "none"),
                Filters.and(Filters.eq("listId", "b"), Filters.eq("completed", false)),
                Filters.and(Filters.eq("listId", "b"), Filters.or(Filters.gt("position", 40),
                        Filters.and(Filters.eq("position", 40), Filters.gt("_id", "t-100")))));
        Runnable compare = () -> {
            for (Bson filter : filters) {
                for (Bson sort : sorts) {
                    for (int[] skipLimit : new int[][] {{0, 0}, {0, 1}, {0, 21}, {5, 10}}) {
                        long before = EqualityIndex.orderedLookups(db, "tasks", index);
                        List<Object> ordered = ids(tasks.find(filter).sort(sort).skip(skipLimit[0]).limit(skipLimit[1]));
                        assertThat(EqualityIndex.orderedLookups(db, "tasks", index) > before).as("%s read in order", sort)
                                .isEqualTo(inIndexOrder.contains(sort));
                        assertThat(ordered).as("%s sorted by %s, skip/limit %s", filter, sort, Arrays.toString(skipLimit))
                                .isEqualTo(ids(plain.find(filter).sort(tiesById(sort)).skip(skipLimit[0]).limit(skipLimit[1])));
                    }
                }
            }
        };
        compare.run();

        // Moves within and between lists, deletes, then a sort the index cannot give in order.
        for (MongoCollection<Document> c : List.of(tasks, plain)) {
            c.updateMany(Filters.lt("position", 10), Updates.inc("position", 1000));
            c.updateOne(Filters.eq("_id", "t-003"), Updates.set("listId", "a"));
            c.updateOne(Filters.eq("_id", "t-004"), Updates.unset("position"));
            c.deleteMany(Filters.eq("completed", true));
        }
        compare.run();
        long before = EqualityIndex.orderedLookups(db, "tasks", index);
        assertThat(ids(tasks.find(Filters.eq("listId", "a")).sort(Sorts.ascending("_id")).limit(5)))
                .isEqualTo(ids(plain.find(Filters.eq("listId", "a")).sort(Sorts.ascending("_id")).limit(5)));
        assertThat(ids(tasks.find(Filters.eq("listId", "a")).sort(Sorts.orderBy(Sorts.ascending("position"),
                Sorts.descending("_id")))))
                .isEqualTo(ids(plain.find(Filters.eq("listId", "a")).sort(Sorts.orderBy(Sorts.ascending("position"),
                        Sorts.descending("_id")))));
        assertThat(EqualityIndex.orderedLookups(db, "tasks", index)).isEqualTo(before);

        // An array in an ordering field has no single place: every sorted query falls back to sorting.
        for (MongoCollection<Document> c : List.of(tasks, plain)) {
            c.updateOne(Filters.eq("_id", "t-006"), Updates.set("position", List.of(5, 1)));
        }
        for (Bson sort : sorts) {
            assertThat(ids(tasks.find(Filters.eq("listId", "a")).sort(sort).limit(7))).as("%s", sort)
                    .isEqualTo(ids(plain.find(Filters.eq("listId", "a")).sort(tiesById(sort)).limit(7)));
        }
    }

    @Test
    void aViewQueryOverSeveralListsReadsOnlyTheirOpenTasksInTheDueRangeInMergedOrder() {
        String db = newDatabaseName();
        String index = "listId_1_completed_1_dueSort_1_position_1";
        List<String> days = List.of("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-08", "9999-12-31");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            // Ties on due date and position, positions of three number types, due "dates" of other types.
            Object due = i % 97 == 5 ? null : i % 89 == 3 ? (Object) 20261201 : i % 83 == 1 ? (Object) true : days.get(i % 5);
            Object list = i % 151 == 0 ? List.of("a", "b") : List.of("a", "b", "c", "d").get(i % 4);
            Document doc = new Document("_id", String.format("t-%03d", (i * 7) % 600)).append("listId", list)
                    .append("completed", i % 3 == 0).append("position", i % 5 == 0 ? (Object) (long) (i / 40)
                            : i % 5 == 1 ? (Object) (i / 40 + 0.5) : (Object) (i / 40));
            if (i % 101 != 7) {
                doc.append("dueSort", due);
            }
            docs.add(doc);
        }
        Twins twins = twins(db, Indexes.ascending("listId", "completed", "dueSort", "position"), docs);
        MongoCollection<Document> tasks = twins.indexed();
        MongoCollection<Document> plain = twins.plain();

        Bson lists = Filters.in("listId", "a", "b", "c", "none");
        Bson open = Filters.eq("completed", false);
        List<Bson> filters = List.of(
                Filters.and(lists, open, Filters.lte("dueSort", "2026-12-01")),
                Filters.and(lists, open, Filters.gte("dueSort", "2026-12-01"), Filters.lte("dueSort", "2026-12-07")),
                Filters.and(lists, open, Filters.lt("dueSort", "2026-12-01")),
                Filters.and(lists, open, Filters.gte("dueSort", "2026-12-08"), Filters.lte("dueSort", "2026-12-01")),
                Filters.and(lists, open, Filters.gt("dueSort", "2026-12-02")),
                Filters.and(lists, open),
                Filters.and(Filters.in("listId", "d"), open, Filters.lte("dueSort", "2026-12-02")),
                Filters.and(lists, open, Filters.or(Filters.gt("dueSort", "2026-12-01"),
                        Filters.and(Filters.eq("dueSort", "2026-12-01"), Filters.gt("position", 7)))),
                Filters.and(lists, Filters.lte("dueSort", "2026-12-01")));
        Bson viewOrder = Sorts.ascending("dueSort", "position", "_id");
        List<Bson> sorts = List.of(viewOrder, Sorts.descending("dueSort", "position", "_id"),
                Sorts.ascending("completed", "dueSort", "position", "_id"), Sorts.ascending("dueSort", "position"),
                Sorts.descending("dueSort", "position"));
        Runnable compare = () -> {
            for (Bson filter : filters) {
                boolean pinsCompleted = filter.toBsonDocument().toJson().contains("\"completed\"");
                for (Bson sort : sorts) {
                    boolean inOrder = sort.equals(sorts.get(2)) || pinsCompleted && !sort.equals(sorts.get(4));
                    for (int[] skipLimit : new int[][] {{0, 0}, {0, 1}, {0, 51}, {7, 10}}) {
                        long before = EqualityIndex.orderedLookups(db, "tasks", index);
                        List<Object> found = ids(tasks.find(filter).sort(sort).skip(skipLimit[0]).limit(skipLimit[1]));
                        assertThat(EqualityIndex.orderedLookups(db, "tasks", index) > before)
                                .as("%s sorted by %s read in order", filter, sort).isEqualTo(inOrder);
                        assertThat(found).as("%s sorted by %s, skip/limit %s", filter, sort, Arrays.toString(skipLimit))
                                .isEqualTo(ids(plain.find(filter).sort(tiesById(sort)).skip(skipLimit[0]).limit(skipLimit[1])));
                    }
                }
            }
        };
        compare.run();

        // Today's view reads the open tasks due by today and those whose due value sorts below every
        // string (missing, null, numbers), not the later or undated ones.
        Bson today = filters.get(0);
        long before = EqualityIndex.orderedReads(db, "tasks", index);
        List<Document> due = tasks.find(today).sort(viewOrder).limit(51).into(new ArrayList<>());
        long read = EqualityIndex.orderedReads(db, "tasks", index) - before;
        long belowStrings = plain.countDocuments(Filters.and(lists, open, Filters.or(Filters.exists("dueSort", false),
                Filters.eq("dueSort", null), Filters.type("dueSort", "number"))));
        assertThat(due).isNotEmpty();
        assertThat(read).isBetween((long) due.size(), due.size() + belowStrings);
        assertThat(read).isLessThan(plain.countDocuments(Filters.and(lists, open)) / 2);

        // Tasks completed, reopened, moved between lists and due dates changed, then deleted.
        for (MongoCollection<Document> c : List.of(tasks, plain)) {
            c.updateMany(Filters.eq("dueSort", "2026-12-02"), Updates.set("dueSort", "2026-12-01"));
            c.updateMany(Filters.and(Filters.eq("listId", "d"), Filters.eq("completed", true)),
                    Updates.combine(Updates.set("listId", "a"), Updates.set("completed", false)));
            c.updateMany(Filters.lt("position", 3), Updates.set("completed", true));
            c.updateOne(Filters.eq("_id", "t-014"), Updates.set("listId", List.of("c", "d")));
            c.deleteMany(Filters.eq("dueSort", "2026-11-30"));
        }
        compare.run();
    }

    @Test
    void anAggregationThatStartsWithAMatchReadsTheIndexCandidatesAndGivesTheSameGroups() {
        String db = newDatabaseName();
        Twins twins = twins(db, Indexes.ascending("listId", "position"), documents());
        MongoCollection<Document> tasks = twins.indexed();
        MongoCollection<Document> plain = twins.plain();

        // The lists' counts, as Tasks.counts asks for them; then pipelines the index cannot start.
        List<List<Bson>> pipelines = List.of(
                List.of(Aggregates.match(Filters.in("listId", "a", "b", "none")), Aggregates.group("$listId",
                        Accumulators.sum("total", 1), Accumulators.sum("open",
                                new Document("$cond", List.of(new Document("$eq", List.of("$completed", false)), 1, 0))))),
                List.of(Aggregates.match(Filters.eq("listId", "c")), Aggregates.sort(Sorts.ascending("_id"))),
                List.of(Aggregates.match(Filters.ne("listId", "a")), Aggregates.sort(Sorts.ascending("_id"))),
                List.of(Aggregates.sort(Sorts.ascending("_id")), Aggregates.match(Filters.eq("listId", "b"))),
                List.of(Aggregates.match(Filters.eq("listId", "b")), Aggregates.lookup("tasks", "listId", "listId", "same"),
                        Aggregates.project(new Document("n", new Document("$size", "$same")))));
        for (int i = 0; i < pipelines.size(); i++) {
            long before = EqualityIndex.lookups(db, "tasks", LIST_INDEX);
            List<Document> found = tasks.aggregate(pipelines.get(i)).into(new ArrayList<>());
            assertThat(EqualityIndex.lookups(db, "tasks", LIST_INDEX) > before).as("pipeline %s used the index", i)
                    .isEqualTo(i == 0 || i == 1 || i == 4);
            List<Bson> onPlain = pipelines.get(i).stream().map(stage -> stage.toBsonDocument().toJson()
                    .replace("\"from\": \"tasks\"", "\"from\": \"plain\"")).map(Document::parse).map(d -> (Bson) d).toList();
            List<Document> expected = plain.aggregate(onPlain).into(new ArrayList<>());
            Comparator<Document> byId = Comparator.comparing(d -> String.valueOf(d.get("_id")));
            assertThat(found.stream().sorted(byId).toList()).as("pipeline %s", i)
                    .isEqualTo(expected.stream().sorted(byId).toList());
        }
    }

    @Test
    void anAggregationOfTheIndexsFieldsOnlyReadsNoDocumentAndGivesTheSameGroups() {
        String db = newDatabaseName();
        String index = "listId_1_completed_1";
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            documents.add(new Document("_id", String.format("t-%02d", i)).append("listId", i % 3 == 0 ? "a" : "b")
                    .append("completed", i % 4 == 0).append("title", "task " + i));
        }
        documents.add(new Document("_id", "t-no-completed").append("listId", "a"));
        documents.add(new Document("_id", "t-null-completed").append("listId", "a").append("completed", null));
        documents.add(new Document("_id", "t-number-completed").append("listId", "b").append("completed", 0));
        documents.add(new Document("_id", "t-other-list").append("listId", "c").append("completed", false));
        Twins twins = twins(db, Indexes.ascending("listId", "completed"), documents);

        Document open = new Document("$cond", new Document("if", new Document("$eq", List.of("$completed", false)))
                .append("then", 1).append("else", 0));
        // The lists' counts as Tasks.counts sends them (Spring renders $cond with if/then/else), then
        // pipelines that also read only the index's fields, then ones that read more.
        List<List<Bson>> covered = List.of(
                List.of(Aggregates.match(Filters.in("listId", "a", "b", "none")),
                        Aggregates.group("$listId", Accumulators.sum("total", 1), Accumulators.sum("open", open))),
                List.of(Aggregates.match(Filters.and(Filters.eq("listId", "a"), Filters.eq("completed", false))),
                        Aggregates.group(null, Accumulators.sum("n", 1))),
                List.of(Aggregates.match(Filters.in("listId", "a", "b")), Aggregates.group("$completed",
                        Accumulators.sum("n", 1), Accumulators.min("first", "$_id"), Accumulators.max("last", "$_id")),
                        Aggregates.sort(Sorts.ascending("n"))),
                List.of(Aggregates.match(Filters.and(Filters.eq("listId", "a"), Filters.exists("completed", false))),
                        Aggregates.group(null, Accumulators.sum("n", 1))));
        List<List<Bson>> notCovered = List.of(
                List.of(Aggregates.match(Filters.in("listId", "a", "b")),
                        Aggregates.group("$listId", Accumulators.push("titles", "$title"))),
                List.of(Aggregates.match(Filters.eq("listId", "a")), Aggregates.group(null, Accumulators.push("all", "$$ROOT"))),
                List.of(Aggregates.match(Filters.and(Filters.eq("listId", "a"), Filters.eq("title", "task 3"))),
                        Aggregates.group(null, Accumulators.sum("n", 1))),
                List.of(Aggregates.match(Filters.eq("listId", "a")), Aggregates.project(new Document("completed", 1))));
        Runnable compare = () -> {
            for (List<Bson> pipeline : covered) {
                assertSameGroups(twins, pipeline, index, true);
            }
            for (List<Bson> pipeline : notCovered) {
                assertSameGroups(twins, pipeline, index, false);
            }
        };
        compare.run();

        // A leading field that holds an array cannot be given from the index: such documents turn it off
        // until they are gone; writes are seen by the next read.
        for (MongoCollection<Document> c : List.of(twins.indexed(), twins.plain())) {
            c.updateOne(Filters.eq("_id", "t-03"), Updates.set("listId", List.of("a", "c")));
        }
        assertSameGroups(twins, covered.get(0), index, false);
        for (MongoCollection<Document> c : List.of(twins.indexed(), twins.plain())) {
            c.updateOne(Filters.eq("_id", "t-03"), Updates.set("listId", "a"));
            c.updateMany(Filters.eq("listId", "b"), Updates.set("completed", true));
            c.deleteOne(Filters.eq("_id", "t-06"));
            c.insertOne(new Document("_id", "t-new").append("listId", "a").append("completed", false));
        }
        compare.run();
    }

    /** The pipeline gives the same groups on both twins; on the indexed one, from the index alone or not. */
    private static void assertSameGroups(Twins twins, List<Bson> pipeline, String index, boolean fromIndexAlone) {
        String db = twins.indexed().getNamespace().getDatabaseName();
        long before = EqualityIndex.coveredLookups(db, "tasks", index);
        List<Document> found = twins.indexed().aggregate(pipeline).into(new ArrayList<>());
        assertThat(EqualityIndex.coveredLookups(db, "tasks", index) > before)
                .as("%s answered from the index alone", pipeline).isEqualTo(fromIndexAlone);
        Comparator<Document> byJson = Comparator.comparing(Document::toJson);
        assertThat(found).as("%s", pipeline).isNotEmpty();
        assertThat(found.stream().sorted(byJson).toList()).as("%s", pipeline)
                .isEqualTo(twins.plain().aggregate(pipeline).into(new ArrayList<Document>()).stream().sorted(byJson).toList());
    }

    /** The indexed collection "tasks" and an unindexed "plain", both holding the documents. */
    private record Twins(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
    }

    private Twins twins(String db, Bson index, List<Document> documents) {
        MongoDatabase database = connect(EmbeddedMongoStore.inMemory()).getDatabase(db);
        MongoCollection<Document> indexed = database.getCollection("tasks");
        MongoCollection<Document> plain = database.getCollection("plain");
        indexed.createIndex(index);
        indexed.insertMany(copies(documents));
        plain.insertMany(copies(documents));
        return new Twins(indexed, plain);
    }

    private static String newDatabaseName() {
        return "eq_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The sort with ties in _id order: the index's order, where the plain scan has insertion order. */
    private static Bson tiesById(Bson sort) {
        return sort.toBsonDocument().containsKey("_id") ? sort : Sorts.orderBy(sort, Sorts.ascending("_id"));
    }

    private static void assertUsesIndex(String db, String index, MongoCollection<Document> tasks, Bson filter) {
        long before = EqualityIndex.lookups(db, "tasks", index);
        assertThat(tasks.find(filter).into(new ArrayList<>())).as("%s", filter).isNotEmpty();
        assertThat(EqualityIndex.lookups(db, "tasks", index)).as("%s", filter).isGreaterThan(before);
    }

    /** Runs every query on both collections and compares the documents in natural and in sorted order. */
    private static void assertSame(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        for (Bson filter : queries()) {
            assertThat(ids(indexed.find(filter).sort(Sorts.ascending("_id"))))
                    .as("%s", filter).isEqualTo(ids(plain.find(filter).sort(Sorts.ascending("_id"))));
            assertThat(ids(indexed.find(filter))).as("natural order of %s", filter)
                    .isEqualTo(ids(plain.find(filter)));
            assertThat(indexed.countDocuments(filter)).as("count %s", filter).isEqualTo(plain.countDocuments(filter));
        }
    }

    private static List<Bson> queries() {
        return List.of(
                Filters.eq("listId", "a"), Filters.eq("listId", "b"), Filters.eq("listId", "c"),
                Filters.eq("listId", "x"), Filters.eq("listId", "moved"), Filters.eq("listId", "none"),
                Filters.eq("listId", null), Filters.eq("listId", 1), Filters.eq("listId", List.of("a", "b")),
                new Document("listId", new Document("$eq", "a")),
                Filters.in("listId", "a", "c"), Filters.in("listId", "a", "b", "moved"), Filters.in("listId", "a", null),
                Filters.ne("listId", "a"), Filters.exists("listId", false),
                Filters.and(Filters.eq("listId", "a"), Filters.eq("completed", false)),
                new Document("listId", "a").append("completed", true),
                Filters.and(Filters.in("listId", "a", "b"), Filters.eq("completed", false), Filters.gte("position", 2)),
                Filters.or(Filters.eq("listId", "a"), Filters.eq("listId", "c")),
                Filters.eq("members.userId", "u1"), Filters.eq("members.userId", "u2"),
                Filters.eq("members.userId", "u3"), Filters.in("members.userId", "u1", "u3"),
                Filters.and(Filters.eq("_id", "d-members"), Filters.eq("members.userId", "u2")),
                Filters.eq("members.userId", null));
    }

    private static List<Document> documents() {
        List<Document> docs = new ArrayList<>();
        docs.add(new Document("_id", "d-list-a").append("listId", "a").append("position", 1).append("completed", false));
        docs.add(new Document("_id", "d-list-a-2").append("listId", "a").append("position", 2).append("completed", true));
        docs.add(new Document("_id", "d-list-b").append("listId", "b").append("position", 1).append("completed", false));
        docs.add(new Document("_id", "d-array").append("listId", List.of("a", "c")).append("position", 3));
        docs.add(new Document("_id", "d-nested").append("listId", List.of(List.of("a"), "b")));
        docs.add(new Document("_id", "d-subdocument").append("listId", new Document("a", 1)));
        docs.add(new Document("_id", "d-number").append("listId", 1));
        docs.add(new Document("_id", "d-null").append("listId", null));
        docs.add(new Document("_id", "d-completed").append("listId", "c").append("completed", true));
        docs.add(new Document("_id", "d-missing").append("title", "no list"));
        docs.add(new Document("_id", "d-members").append("members",
                List.of(new Document("userId", "u1"), new Document("userId", "u2"))));
        docs.add(new Document("_id", "d-members-2").append("members",
                List.of(new Document("userId", "u2"), new Document("role", "viewer"))));
        docs.add(new Document("_id", "d-members-3").append("members", List.of(new Document("userId", "u3"))));
        docs.add(new Document("_id", "d-members-empty").append("members", List.of()));
        for (int i = 0; i < 40; i++) {
            docs.add(new Document("_id", String.format("g-%02d", i)).append("listId", i % 2 == 0 ? "c" : "b").append("position", i).append("completed", i % 3 == 0)
                    .append("members", List.of(new Document("userId", "u" + (i % 4)))));
        }
        return docs;
    }

    /** Fresh documents each time (the driver adds generated ids to the ones it inserts). */
    private static List<Document> copies(List<Document> documents) {
        List<Document> copies = new ArrayList<>();
        for (Document document : documents) {
            Document copy = Document.parse(document.toJson());
            copies.add(copy);
        }
        return copies;
    }

    private static List<Object> ids(Iterable<Document> documents) {
        List<Object> ids = new ArrayList<>();
        for (Document document : documents) {
            ids.add(document.get("_id"));
        }
        return ids;
    }

    private MongoClient connect(EmbeddedMongoStore store) {
        toClose.add(store);
        MongoClient client = MongoClients.create(store.connectionString());
        toClose.add(client);
        return client;
    }
}
