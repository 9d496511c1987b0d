import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;

/**
 * Seeds the benchmark data straight into the store, in the shape the server itself writes
 * (see UserDocument, AccessTokens, ListDocument, TaskDocument): creating 350,000 tasks through
 * the API would take longer than the benchmark. The harness then reads a sample back through
 * the API, so a shape mismatch fails the run instead of measuring errors.
 *
 * Usage: java -cp 'APP/lib/*' Seed.java MONGODB_URI DATABASE USERS LISTS TASKS BIG_TASKS OUT_DIR
 * Writes OUT_DIR/lists.txt ("token listId taskId" per list) and OUT_DIR/special.txt.
 * Skips the work when the store already holds the same seed (collection bench_seed), and exits
 * with status 3 when it also holds tasks that earlier runs created (the harness then seeds again).
 */
public class Seed {

    private static final int BATCH = 2_000;

    public static void main(String[] args) throws Exception {
        // Logback (from the server's libraries) would print the driver's debug lines otherwise.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String uri = args[0];
        String database = args[1];
        int users = Integer.parseInt(args[2]);
        int listsPerUser = Integer.parseInt(args[3]);
        int tasksPerList = Integer.parseInt(args[4]);
        int bigTasks = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        String signature = users + "x" + listsPerUser + "x" + tasksPerList + "+" + bigTasks;
        try (MongoClient client = MongoClients.create(uri)) {
            MongoDatabase db = client.getDatabase(database);
            Document done = db.getCollection("bench_seed").find(new Document("_id", signature)).first();
            if (done != null && Files.exists(out.resolve("lists.txt"))) {
                // The creates of earlier runs (W, M) would pile up run after run: the store's memory
                // and the lists' counts would grow, and the data would no longer be what the report
                // says. Removing them costs more than seeding again (no index on createdAt).
                long seeded = (long) users * listsPerUser * tasksPerList + bigTasks + 100;
                long held = db.getCollection("tasks").estimatedDocumentCount();
                if (held > seeded) {
                    System.err.printf("seed: the store holds %,d tasks, %,d more than the seed %s (creates of earlier runs)%n",
                            held, held - seeded, signature);
                    System.exit(3);
                }
                System.err.println("seed: the store already holds " + signature + "; reusing it");
                return;
            }
            // Seeding on top of another seed would measure a mixture of both.
            Document other = db.getCollection("bench_seed").find().first();
            if (other != null) {
                System.err.println("seed: the store holds another seed (" + other.get("_id") + "); stop the benchmark"
                        + " cluster with 'cluster down --purge' (TASKMESH_CLUSTER_DIR=.taskmesh-bench/cluster) and run again");
                System.exit(2);
            }
            new Seed(db, out).run(users, listsPerUser, tasksPerList, bigTasks);
            db.getCollection("bench_seed").insertOne(new Document("_id", signature).append("at", new Date()));
        }
    }

    private final MongoDatabase db;
    private final Path out;
    private final Random random = new Random(42);
    private final Date now = Date.from(Instant.now());
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final List<Document> pendingTasks = new ArrayList<>();
    private final StringBuilder lines = new StringBuilder();
    private final String passwordHash;
    private long tasksWritten;
    private long tasksTotal;
    private long started;

    Seed(MongoDatabase db, Path out) {
        this.db = db;
        this.out = out;
        // One real Argon2id hash (the server's parameters) for every seeded user: they log in by token.
        this.passwordHash = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2).encode("bench password");
    }

    void run(int users, int listsPerUser, int tasksPerList, int bigTasks) throws Exception {
        tasksTotal = (long) users * listsPerUser * tasksPerList + bigTasks + 100;
        started = System.nanoTime();
        System.err.printf("seed: %d users x %d lists x %d tasks, one user with %d tasks, one with 100 (%,d tasks)%n",
                users, listsPerUser, tasksPerList, bigTasks, tasksTotal);
        List<Document> userDocs = new ArrayList<>();
        List<Document> tokenDocs = new ArrayList<>();
        List<Document> listDocs = new ArrayList<>();
        for (int u = 0; u < users + 2; u++) {
            String userId = new ObjectId().toHexString();
            String secret = "tm_bench_" + u + "_" + userId;
            userDocs.add(new Document("_id", new ObjectId(userId)).append("email", "bench-" + u + "-" + userId + "@example.com")
                    .append("displayName", "Bench user " + u).append("passwordHash", passwordHash).append("createdAt", now));
            tokenDocs.add(new Document("_id", new ObjectId()).append("userId", userId).append("name", "bench")
                    .append("hash", sha256(secret)).append("createdAt", now));
            boolean big = u == users;
            boolean small = u == users + 1;
            int lists = big || small ? 1 : listsPerUser;
            for (int l = 0; l < lists; l++) {
                String listId = new ObjectId().toHexString();
                listDocs.add(new Document("_id", new ObjectId(listId)).append("name", "List " + (l + 1))
                        .append("members", List.of(new Document("userId", userId).append("role", "OWNER")))
                        .append("version", 1L).append("createdAt", now).append("updatedAt", now));
                int count = big ? bigTasks : small ? 100 : tasksPerList;
                String firstTask = null;
                for (int t = 0; t < count; t++) {
                    String taskId = task(listId, t);
                    if (firstTask == null) {
                        firstTask = taskId;
                    }
                }
                String line = secret + " " + listId + " " + firstTask + "\n";
                if (big) {
                    Files.writeString(out.resolve("big.txt"), line);
                } else if (small) {
                    Files.writeString(out.resolve("small.txt"), line);
                } else {
                    lines.append(line);
                }
            }
            if (listDocs.size() >= BATCH) {
                insert("lists", listDocs);
            }
        }
        insert("users", userDocs);
        insert("tokens", tokenDocs);
        insert("lists", listDocs);
        insert("tasks", pendingTasks);
        Files.writeString(out.resolve("lists.txt"), lines);
        System.err.printf("seed: done, %,d tasks in %.0f s%n", tasksWritten, (System.nanoTime() - started) / 1e9);
    }

    private String task(String listId, int index) {
        ObjectId id = new ObjectId();
        // About a fifth of the tasks are due within a week either side of today, so "today" has content.
        String due = random.nextInt(5) == 0 ? today.plusDays(random.nextInt(15) - 7).toString() : null;
        boolean completed = random.nextInt(4) == 0;
        pendingTasks.add(new Document("_id", id).append("listId", listId).append("title", "Task " + (index + 1) + " of the list")
                .append("notes", index % 3 == 0 ? "Some notes for task " + (index + 1) : null)
                .append("due", due).append("dueSort", due == null ? "9999-12-31" : due)
                .append("priority", List.of("none", "low", "medium", "high").get(random.nextInt(4)))
                .append("completed", completed).append("completedAt", completed ? now : null)
                .append("position", (double) (index + 1)).append("version", 1L)
                .append("createdAt", now).append("updatedAt", now));
        if (pendingTasks.size() >= BATCH) {
            insert("tasks", pendingTasks);
        }
        return id.toHexString();
    }

    private void insert(String collection, List<Document> docs) {
        if (docs.isEmpty()) {
            return;
        }
        db.getCollection(collection).insertMany(docs, new InsertManyOptions().ordered(false));
        if (collection.equals("tasks")) {
            long before = tasksWritten / 25_000;
            tasksWritten += docs.size();
            if (tasksWritten / 25_000 != before || tasksWritten == tasksTotal) {
                System.err.printf("seed: %,d of %,d tasks (%.0f s)%n", tasksWritten, tasksTotal,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        docs.clear();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
