package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import io.taskmesh.support.TwoNodes;
import tools.jackson.databind.JsonNode;

/**
 * The read cache on two real nodes sharing a real redis-server: hits cost no MongoDB command,
 * every kind of write on one node is read at once on the other, access stays exact, concurrent
 * misses load once, and Redis failing (down, or stalled for writes) never fails a request nor
 * lets a stale entry be served once the failure is over.
 */
@ExtendWith(TwoNodes.class)
class ReadCacheTest {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    /** What a reader sees of one list and of everything it can see (each read must succeed). */
    record Seen(List<String> all, List<String> active, List<String> completed, Map<String, String> lists,
            List<String> view) {
    }

    @Test
    void aRepeatedReadIsAHitThatSendsNoCommandToMongoDb(TwoNodes.Cluster cluster) {
        User user = cluster.users().signUp();
        String listId = user.createList("Hot");
        user.createTask(listId, "one");
        CacheMetrics node1 = metrics(cluster, 1);
        for (String path : List.of("/api/v1/lists/" + listId + "/tasks", "/api/v1/lists/" + listId + "/tasks?status=active&limit=10",
                "/api/v1/lists", "/api/v1/tasks?view=week&tz=Europe/Paris")) {
            double misses = node1.misses();
            ApiResponse first = ok(user.client().get(path));
            assertThat(node1.misses() - misses).as("the first read of %s is a miss", path).isEqualTo(1);
            double hits = node1.hits();
            double mongo = node1.mongoCommands();
            ApiResponse second = ok(user.client().get(path));
            assertThat(second.text()).as(path).isEqualTo(first.text());
            assertThat(second.contentType()).startsWith("application/json");
            assertThat(node1.hits() - hits).as("the second read of %s is a hit", path).isEqualTo(1);
            assertThat(node1.mongoCommands() - mongo).as("MongoDB commands of a cached read of %s (cookie session)", path)
                    .isZero();
        }
    }

    @Test
    void aRepeatedReadWithATokenTakesOneRedisCommandAndAnswersAsTheControllerDoes(TwoNodes.Cluster cluster) {
        User user = cluster.users().signUp();
        ApiClient reader = cluster.users().bearerClient(user); // a token: no session to read from Redis
        String listId = user.createList("Hot");
        user.createTask(listId, "one");
        ok(user.client().post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "two", "due",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString())));
        CacheMetrics node1 = metrics(cluster, 1);
        for (String path : List.of("/api/v1/lists/" + listId + "/tasks", "/api/v1/lists/" + listId + "/tasks?status=active&limit=10",
                "/api/v1/lists", "/api/v1/tasks?view=today&tz=Europe/Paris&limit=20")) {
            reader.forgetCookies();
            double fast = node1.fastHits();
            ApiResponse first = ok(reader.get(path));
            assertThat(node1.fastHits() - fast).as("the first read of %s loads, down the chain", path).isZero();
            reader.forgetCookies();
            long commands = redisCommands(cluster);
            ApiResponse second = ok(reader.get(path));
            assertThat(redisCommands(cluster) - commands).as("Redis commands of a repeated read of %s: one MGET of the"
                    + " versions of the tokens and of the list or user; owner, members and page are the node's copies",
                    path).isEqualTo(1);
            assertThat(node1.fastHits() - fast).as("answered ahead of the filter chain").isEqualTo(1);
            assertThat(second.text()).isEqualTo(first.text());
            assertThat(withoutDateAndCsrfValue(second)).isEqualTo(withoutDateAndCsrfValue(first));
            assertThat(second.setCookie("XSRF-TOKEN")).as("a new XSRF cookie, as from any response").isNotNull()
                    .isNotEqualTo(first.setCookie("XSRF-TOKEN"));
            assertThat(ok(reader.get(path)).setCookie("XSRF-TOKEN")).as("none when the request has one").isNull();
        }
    }

    @Test
    void theFastPathLeavesEveryOtherRequestToTheChain(TwoNodes.Cluster cluster) {
        User user = cluster.users().signUp();
        User stranger = cluster.users().signUp();
        ApiClient reader = cluster.users().bearerClient(user);
        ApiClient strangerReader = cluster.users().bearerClient(stranger);
        String listId = user.createList("Hot");
        user.createTask(listId, "one");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        CacheMetrics node1 = metrics(cluster, 1);
        ok(reader.get(tasks));
        double fast = node1.fastHits();
        ok(reader.get(tasks));
        assertThat(node1.fastHits() - fast).as("warm").isEqualTo(1);
        ok(user.client().get(tasks));
        ok(reader.get(tasks + "?q=one"));
        ok(reader.get(tasks + "?limit=50&cursor="));
        assertThat(reader.get(tasks + "?status=done").status()).as("refused by the controller").isEqualTo(400);
        assertThat(reader.get(tasks + "?limit=0").status()).isEqualTo(400);
        assertThat(reader.get(tasks + "?status=all&status=active").status()).isIn(200, 400);
        assertThat(reader.get("/api/v1/lists/" + listId.toUpperCase(java.util.Locale.ROOT) + "/tasks").status())
                .isEqualTo(404);
        assertThat(reader.get(tasks + "/").status()).isIn(200, 404);
        assertThat(reader.send("HEAD", tasks, null, Map.of()).status()).isEqualTo(200);
        assertThat(ApiClient.at(cluster.port(1)).withBearer("tm_not-a-token").get(tasks).status()).isEqualTo(401);
        assertThat(ApiClient.at(cluster.port(1)).withBearer("something else").get(tasks).status()).isEqualTo(401);
        ApiResponse stranger404 = strangerReader.get(tasks);
        assertThat(stranger404.status()).as("a token of another user, from a warm cache").isEqualTo(404);
        assertThat(stranger404.text()).doesNotContain("one");
        assertThat(node1.fastHits() - fast).as("none of these was answered ahead of the chain").isEqualTo(1);
    }

    @Test
    void aClientThatAcceptsGzipGetsTheCachedAnswerCompressedAheadOfTheChainAndDownIt(TwoNodes.Cluster cluster)
            throws IOException {
        User user = cluster.users().signUp();
        ApiClient reader = cluster.users().bearerClient(user);
        String listId = user.createList("Long");
        for (int i = 0; i < 20; i++) {
            user.createTask(listId, "A task whose title makes the page longer than a kilobyte, number " + i);
        }
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        CacheMetrics node1 = metrics(cluster, 1);
        String json = ok(reader.get(tasks)).text();
        assertThat(json.length()).as("worth compressing").isGreaterThan(1024);
        Map<String, String> browser = Map.of("Accept-Encoding", "gzip, deflate, br, zstd");
        for (ApiClient client : List.of(reader, user.client())) {
            double fast = node1.fastHits();
            ApiResponse compressed = ok(client.get(tasks, browser));
            assertThat(node1.fastHits() - fast).as("answered ahead of the chain (a token) or down it (a session)")
                    .isEqualTo(client == reader ? 1 : 0);
            assertThat(compressed.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(String.join(",", compressed.headers("Vary"))).contains("Accept-Encoding");
            assertThat(compressed.contentType()).startsWith("application/json");
            assertThat(compressed.gunzipped()).isEqualTo(json);
            assertThat(compressed.body().length).isLessThan(json.length() / 2);
            assertThat(compressed.header("Content-Length")).isEqualTo(Integer.toString(compressed.body().length));
            assertThat(ok(client.get(tasks, browser)).body()).as("the same bytes again").isEqualTo(compressed.body());
            for (String refusing : List.of("gzip;q=0, br", "identity", "br", "*;q=0", "")) {
                ApiResponse plain = ok(client.get(tasks, Map.of("Accept-Encoding", refusing)));
                assertThat(plain.header("Content-Encoding")).as(refusing).isNull();
                assertThat(plain.text()).as(refusing).isEqualTo(json);
            }
        }
        StringRedisTemplate redis = cluster.context(1).getBean(StringRedisTemplate.class);
        List<String> keys = List.copyOf(redis.keys(CacheKeys.PREFIX + "tasks:" + listId + ":*"));
        assertThat(keys).as("the first page's entry").hasSize(1).allSatisfy(key -> assertThat(key).endsWith(":gz"));
        byte[] inRedis = redis.execute((RedisCallback<byte[]>) c -> c.stringCommands()
                .get(keys.get(0).getBytes(StandardCharsets.UTF_8)));
        assertThat(inRedis.length).as("Redis keeps the gzip form").isLessThan(json.length() / 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(inRedis))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
        ApiClient atNode2 = reader.sameCallerAt(cluster.port(2));
        for (Map<String, String> headers : List.of(browser, Map.<String, String>of())) {
            atNode2.get(tasks, headers); // node 2 copies the entry from Redis on the first read, then serves its copy
            ApiResponse fromNode2 = ok(atNode2.get(tasks, headers));
            assertThat(headers.isEmpty() ? fromNode2.text() : fromNode2.gunzipped()).as("node 2, %s", headers)
                    .isEqualTo(json);
        }
        ApiResponse small = ok(reader.get("/api/v1/lists", browser));
        assertThat(small.body().length).as("an answer under a kilobyte").isLessThan(1024);
        assertThat(small.header("Content-Encoding")).as("is not worth compressing").isNull();
        assertThat(small.json().get(0).get("name").asString()).isEqualTo("Long");
    }

    /** Readers with a session read through the chain; readers with a token mostly ahead of it. */
    @ParameterizedTest(name = "readers with a {0}")
    @ValueSource(strings = {"session", "token"})
    void everyKindOfWriteOnNodeOneIsReadAtOnceOnNodeTwo(String readersWith, TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User owner = users.signUp();
        User editor = users.signUp();
        User newcomer = users.signUp();
        ApiClient writer = owner.client();
        java.util.function.Function<User, ApiClient> readerOf = user -> readersWith.equals("token")
                ? users.bearerClient(user).sameCallerAt(cluster.port(2)) : user.client().sameCallerAt(cluster.port(2));
        ApiClient reader = readerOf.apply(owner);
        ApiClient editorReader = readerOf.apply(editor);
        ApiClient newcomerReader = readerOf.apply(newcomer);
        double fast = metrics(cluster, 2).fastHits();
        CacheMetrics node2 = metrics(cluster, 2);
        String groceries = owner.createList("Groceries");
        String other = owner.createList("Other");
        owner.share(groceries, editor, "editor");

        warm(node2, reader, groceries);
        warm(node2, editorReader, groceries);
        String milk = owner.createTask(groceries, "milk");
        assertThat(seen(reader, groceries)).isEqualTo(new Seen(List.of("milk"), List.of("milk"), List.of(),
                Map.of("Groceries", "1/1", "Other", "0/0"), List.of("milk")));
        assertThat(seen(editorReader, groceries)).as("another member").isEqualTo(new Seen(List.of("milk"),
                List.of("milk"), List.of(), Map.of("Groceries", "1/1"), List.of("milk")));

        warm(node2, reader, groceries);
        ok(writer.patch(task(groceries, milk), Map.of("title", "oat milk")));
        assertThat(seen(reader, groceries)).as("after an update").isEqualTo(new Seen(List.of("oat milk"),
                List.of("oat milk"), List.of(), Map.of("Groceries", "1/1", "Other", "0/0"), List.of("oat milk")));

        warm(node2, reader, groceries);
        ok(writer.patch(task(groceries, milk), Map.of("completed", true)));
        assertThat(seen(reader, groceries)).as("after a toggle").isEqualTo(new Seen(List.of("oat milk"), List.of(),
                List.of("oat milk"), Map.of("Groceries", "0/1", "Other", "0/0"), List.of()));

        owner.createTask(groceries, "bread");
        warm(node2, reader, groceries);
        ok(writer.post("/api/v1/lists/" + groceries + "/tasks/complete-all", Map.of("completed", true)));
        assertThat(seen(reader, groceries)).as("after complete-all").isEqualTo(new Seen(List.of("oat milk", "bread"),
                List.of(), List.of("oat milk", "bread"), Map.of("Groceries", "0/2", "Other", "0/0"), List.of()));

        warm(node2, reader, groceries);
        ok(writer.patch(task(groceries, milk), Map.of("completed", false)));
        warm(node2, reader, groceries);
        ok(writer.delete("/api/v1/lists/" + groceries + "/tasks?status=completed"));
        assertThat(seen(reader, groceries)).as("after clear-completed").isEqualTo(new Seen(List.of("oat milk"),
                List.of("oat milk"), List.of(), Map.of("Groceries", "1/1", "Other", "0/0"), List.of("oat milk")));

        warm(node2, reader, groceries);
        warm(node2, reader, other);
        ok(writer.patch(task(groceries, milk), Map.of("listId", other)));
        assertThat(seen(reader, groceries)).as("the list a task left").isEqualTo(new Seen(List.of(), List.of(),
                List.of(), Map.of("Groceries", "0/0", "Other", "1/1"), List.of("oat milk")));
        assertThat(seen(reader, other).all()).as("the list a task moved to").containsExactly("oat milk");

        warm(node2, reader, other);
        assertThat(writer.delete(task(other, milk)).status()).isEqualTo(204);
        assertThat(seen(reader, other)).as("after a delete").isEqualTo(new Seen(List.of(), List.of(), List.of(),
                Map.of("Groceries", "0/0", "Other", "0/0"), List.of()));

        warm(node2, editorReader, groceries);
        ok(writer.patch("/api/v1/lists/" + groceries, Map.of("name", "Food")));
        assertThat(seen(editorReader, groceries).lists()).as("a member's lists after a rename")
                .isEqualTo(Map.of("Food", "0/0"));

        warm(node2, newcomerReader, null);
        assertThat(newcomerReader.get("/api/v1/lists/" + groceries + "/tasks").status()).isEqualTo(404);
        assertThat(newcomerReader.get("/api/v1/lists/" + groceries + "/tasks").status()).isEqualTo(404);
        owner.share(groceries, newcomer, "viewer");
        assertThat(seen(newcomerReader, groceries).lists()).as("the lists of a member just added")
                .isEqualTo(Map.of("Food", "0/0"));

        warm(node2, editorReader, groceries);
        assertThat(writer.delete("/api/v1/lists/" + groceries + "/members/" + editor.id()).status()).isEqualTo(204);
        assertThat(editorReader.get("/api/v1/lists/" + groceries + "/tasks").status())
                .as("a removed member, from a warm cache").isEqualTo(404);
        assertThat(lists(editorReader)).as("the lists of a removed member").isEmpty();

        warm(node2, reader, groceries);
        assertThat(writer.delete("/api/v1/lists/" + groceries).status()).isEqualTo(204);
        assertThat(reader.get("/api/v1/lists/" + groceries + "/tasks").status()).as("a deleted list").isEqualTo(404);
        assertThat(lists(reader)).as("after the list was deleted").isEqualTo(Map.of("Other", "0/0"));
        if (readersWith.equals("token")) {
            assertThat(metrics(cluster, 2).fastHits() - fast).as("reads answered ahead of the chain").isGreaterThan(50);
        }
    }

    @Test
    void anotherUserGetsNotFoundFromAWarmCache(TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User owner = users.signUp();
        User stranger = users.signUp();
        String listId = owner.createList("Private");
        owner.createTask(listId, "secret");
        CacheMetrics node1 = metrics(cluster, 1);
        for (String status : List.of("all", "active", "completed")) {
            String path = "/api/v1/lists/" + listId + "/tasks?status=" + status;
            ok(owner.client().get(path));
            double hits = node1.hits();
            ok(owner.client().get(path));
            assertThat(node1.hits() - hits).as("warm").isEqualTo(1);
            ApiResponse refused = stranger.client().get(path);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.text()).doesNotContain("secret");
        }
        String madeUp = "0123456789abcdef01234567";
        assertThat(stranger.client().get("/api/v1/lists/" + madeUp + "/tasks").status()).isEqualTo(404);
        assertThat(cluster.context(1).getBean(StringRedisTemplate.class).hasKey(CacheKeys.listVersion(madeUp)))
                .as("a request for a made-up id leaves nothing in Redis").isFalse();
    }

    @Test
    void concurrentMissesOfOneKeyCostOneMongoDbLoad(TwoNodes.Cluster cluster) throws Exception {
        User user = cluster.users().signUp();
        String listId = user.createList("Stampede");
        for (int i = 0; i < 5; i++) {
            user.createTask(listId, "task " + i);
        }
        // The writes cached the members for their access checks; a member change makes them a miss again.
        user.share(listId, cluster.users().signUp(), "viewer");
        ApiClient onNode2 = user.client().sameCallerAt(cluster.port(2));
        CacheMetrics node2 = metrics(cluster, 2);
        double taskFinds = node2.finds("tasks");
        double listFinds = node2.finds("lists");
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<ApiResponse>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return onNode2.get("/api/v1/lists/" + listId + "/tasks?status=active");
                }));
            }
            start.countDown();
            String body = null;
            for (Future<ApiResponse> answer : answers) {
                ApiResponse response = ok(answer.get(60, TimeUnit.SECONDS));
                body = body == null ? response.text() : body;
                assertThat(response.text()).isEqualTo(body);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(node2.finds("tasks") - taskFinds).as("MongoDB loads of the page").isEqualTo(1);
        assertThat(node2.finds("lists") - listFinds).as("MongoDB loads of the list's members").isEqualTo(1);
    }

    @Test
    void aTaskWriteLeavesTheMembersCachedSoTheReadAfterItLoadsOnlyThePage(TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User owner = users.signUp();
        User viewer = users.signUp();
        String listId = owner.createList("Busy");
        owner.share(listId, viewer, "viewer");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        CacheMetrics node2 = metrics(cluster, 2);
        for (ApiClient reader : List.of(owner.client().sameCallerAt(cluster.port(2)),
                users.bearerClient(viewer).sameCallerAt(cluster.port(2)))) {
            ok(reader.get(tasks));
            double taskFinds = node2.finds("tasks");
            double listFinds = node2.finds("lists");
            owner.createTask(listId, "write " + taskFinds);
            assertThat(titles(ok(reader.get(tasks)).json())).as("read after the write on node 1")
                    .contains("write " + taskFinds);
            assertThat(node2.finds("tasks") - taskFinds).as("MongoDB loads of the page").isEqualTo(1);
            assertThat(node2.finds("lists") - listFinds).as("MongoDB loads of the list's members").isZero();
        }
        assertThat(owner.client().delete("/api/v1/lists/" + listId + "/members/" + viewer.id()).status()).isEqualTo(204);
        assertThat(users.bearerClient(viewer).sameCallerAt(cluster.port(2)).get(tasks).status())
                .as("the members are read again once they change").isEqualTo(404);
    }

    @Test
    void taskWritesCheckAccessAgainstTheCachedMembersAndSeeAMemberChangeOnTheOtherNodeAtOnce(
            TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User owner = users.signUp();
        User editor = users.signUp();
        String listId = owner.createList("Shared");
        owner.share(listId, editor, "editor");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        ApiClient onNode2 = editor.client().sameCallerAt(cluster.port(2));
        CacheMetrics node2 = metrics(cluster, 2);
        String first = ok(onNode2.post(tasks, Map.of("title", "first"))).get("id");
        double listFinds = node2.finds("lists");
        String second = ok(onNode2.post(tasks, Map.of("title", "second"))).get("id");
        ok(onNode2.patch(task(listId, first), Map.of("title", "first, renamed")));
        assertThat(onNode2.get(task(listId, second)).status()).isEqualTo(200);
        assertThat(onNode2.delete(task(listId, second)).status()).isEqualTo(204);
        ok(onNode2.post(tasks + "/complete-all", Map.of("completed", true)));
        assertThat(node2.finds("lists") - listFinds).as("MongoDB reads of the list for these task requests").isZero();

        owner.share(listId, editor, "viewer");
        ApiResponse demoted = onNode2.patch(task(listId, first), Map.of("title", "by a viewer"));
        assertThat(demoted.status()).as("demoted on node 1, refused on node 2 at once: " + demoted).isEqualTo(403);
        assertThat(demoted.isProblem()).isTrue();
        assertThat(owner.client().delete("/api/v1/lists/" + listId + "/members/" + editor.id()).status())
                .isEqualTo(204);
        ApiResponse removed = onNode2.post(tasks, Map.of("title", "by a stranger"));
        assertThat(removed.status()).as("removed on node 1, a stranger on node 2 at once: " + removed).isEqualTo(404);
        assertThat(onNode2.delete(task(listId, first)).status()).isEqualTo(404);
        assertThat(titles(ok(owner.client().get(tasks)).json())).as("what the refused writes left")
                .containsExactly("first, renamed");
    }

    @Test
    void withRedisDownReadsAndWritesSucceedFromMongoDbThenHitsResumeByThemselves(TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User user = users.signUp();
        ApiClient program = users.bearerClient(user); // cookie requests get 503 without Redis (sessions)
        String listId = user.createList("Outage");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        ok(program.get(tasks));
        CacheMetrics node1 = metrics(cluster, 1);
        double bypassed = node1.bypassed();
        cluster.redis().kill();
        try {
            for (int i = 0; i < 5; i++) {
                long begin = System.nanoTime();
                ApiResponse created = program.post(tasks, Map.of("title", "while down " + i));
                ApiResponse read = program.get(tasks);
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                assertThat(titles(ok(read).json())).contains("while down " + i);
                assertThat(took).as("a write and a read while Redis is down").isLessThan(Duration.ofSeconds(3));
            }
            assertThat(node1.bypassed()).as("reads went to MongoDB").isGreaterThan(bypassed);
            assertThat(circuit(cluster, 1, "open") + circuit(cluster, 1, "half_open")).as("the breaker opened")
                    .isEqualTo(1);
        } finally {
            cluster.redis().startAgain();
        }
        Deadline.await("cache hits to resume by themselves", RECOVERY, () -> {
            double hits = node1.hits();
            ok(program.get(tasks));
            ok(program.get(tasks));
            return node1.hits() > hits;
        });
        assertThat(circuit(cluster, 1, "closed")).isEqualTo(1);
        assertThat(titles(ok(program.get(tasks)).json())).hasSize(5);
    }

    @Test
    void aBumpThatFailedIsReplayedAndNoNodeServesTheOldEntryAfterwards(TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User user = users.signUp();
        ApiClient onNode1 = users.bearerClient(user); // sessions would need Redis writes
        ApiClient onNode2 = onNode1.sameCallerAt(cluster.port(2));
        String opener = user.createList("Opens the breaker");
        String watched = user.createList("Watched");
        String watchedTasks = "/api/v1/lists/" + watched + "/tasks";
        user.createTask(watched, "before");
        CacheMetrics node1 = metrics(cluster, 1);
        CacheMetrics node2 = metrics(cluster, 2);
        ok(onNode2.get(watchedTasks));
        double hits = node2.hits();
        assertThat(titles(ok(onNode2.get(watchedTasks)).json())).containsExactly("before");
        assertThat(node2.hits() - hits).as("node 2 holds the page").isEqualTo(1);

        // Redis takes no writes for a while: node 1's bumps time out and its breaker opens. (A
        // timed-out command still runs once the pause ends, so the write whose bump is checked
        // below goes to another list, bumped only by the replay.)
        cluster.redis().pauseWrites(Duration.ofSeconds(8));
        ApiResponse first = onNode1.post("/api/v1/lists/" + opener + "/tasks", Map.of("title", "x"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Deadline.await("node 1's breaker to open", Duration.ofSeconds(10), () -> {
            ok(onNode1.get("/api/v1/lists/" + opener + "/tasks"));
            return circuit(cluster, 1, "open") == 1;
        });
        long begin = System.nanoTime();
        ApiResponse write = onNode1.post(watchedTasks, Map.of("title", "after"));
        assertThat(write.status()).as(write.toString()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("a write with the breaker open")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(node1.pendingBumps()).as("the bump is remembered").isPositive();
        assertThat(titles(ok(onNode1.get(watchedTasks)).json())).as("the writer's node reads its write meanwhile")
                .containsExactly("before", "after");

        Deadline.await("node 1 to replay its bumps", RECOVERY, () -> node1.pendingBumps() == 0);
        for (int i = 0; i < 3; i++) {
            assertThat(titles(ok(onNode2.get(watchedTasks)).json())).as("node 2 after the replay")
                    .containsExactly("before", "after");
        }
    }

    /**
     * Writes whose bumps are in flight hold up no read of the node: each read of a list nobody
     * writes is answered ahead of the chain while writes to another list run all the time. (When
     * reads waited for bumps in flight, most of them went down the chain here.)
     */
    @Test
    void bumpsInFlightLeaveTheNodesOtherReadsOnTheFastPath(TwoNodes.Cluster cluster) throws Exception {
        TestUsers users = cluster.users();
        User user = users.signUp();
        ApiClient program = users.bearerClient(user);
        String written = "/api/v1/lists/" + user.createList("Written") + "/tasks";
        String read = user.createList("Read");
        user.createTask(read, "steady");
        String readTasks = "/api/v1/lists/" + read + "/tasks";
        CacheMetrics node1 = metrics(cluster, 1);
        ok(program.get(readTasks));
        ok(program.get(readTasks));
        int writers = 3;
        int reads = 200;
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                writes.add(pool.submit(() -> {
                    int count = 0;
                    while (done.getCount() > 0) {
                        ok(program.post(written, Map.of("title", "write " + count++)));
                    }
                    return count;
                }));
            }
            double fast = node1.fastHits();
            for (int i = 0; i < reads; i++) {
                assertThat(titles(ok(program.get(readTasks)).json())).containsExactly("steady");
            }
            done.countDown();
            int written201 = 0;
            for (Future<Integer> write : writes) {
                written201 += write.get(30, TimeUnit.SECONDS);
            }
            assertThat(written201).as("writes during the reads").isGreaterThan(reads / 10);
            assertThat(node1.fastHits() - fast).as("reads answered ahead of the chain").isEqualTo(reads);
        } finally {
            done.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenOwnerComesFromTheCacheAndARevocationOnOneNodeEndsTheTokenOnBothAtOnce(TwoNodes.Cluster cluster) {
        User user = cluster.users().signUp();
        User other = cluster.users().signUp();
        ApiResponse issued = ApiClient.at(cluster.port(1)).post("/api/v1/auth/tokens",
                Map.of("email", user.email(), "password", TestUsers.PASSWORD, "name", "cli"));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        ApiClient onNode2 = ApiClient.at(cluster.port(2)).withBearer(issued.get("token"));
        ApiClient onNode1 = ApiClient.at(cluster.port(1)).withBearer(issued.get("token"));
        ApiClient otherOnNode2 = cluster.users().bearerClient(other).sameCallerAt(cluster.port(2));
        CacheMetrics node2 = metrics(cluster, 2);

        assertThat(ok(onNode2.get("/api/v1/me")).get("id")).isEqualTo(user.id());
        assertThat(ok(otherOnNode2.get("/api/v1/me")).get("id")).isEqualTo(other.id());
        double finds = node2.finds("tokens");
        for (int i = 0; i < 3; i++) {
            assertThat(ok(onNode2.get("/api/v1/me")).get("id")).isEqualTo(user.id());
            assertThat(ok(otherOnNode2.get("/api/v1/me")).get("id")).isEqualTo(other.id());
        }
        assertThat(node2.finds("tokens") - finds).as("MongoDB look-ups of cached tokens").isZero();
        String tasks = "/api/v1/lists/" + user.createList("Read by token") + "/tasks";
        List<String> cachedReads = List.of(tasks, "/api/v1/lists", "/api/v1/tasks?view=today");
        cachedReads.forEach(path -> ok(onNode2.get(path)));
        double fast = node2.fastHits();
        cachedReads.forEach(path -> ok(onNode2.get(path)));
        assertThat(node2.fastHits() - fast).as("warm, ahead of the chain").isEqualTo(3);

        ApiResponse revoked = user.client().delete("/api/v1/me/tokens/" + issued.get("id"));
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(onNode2.get("/api/v1/me").status()).as("the revoked token on the node that had it cached").isEqualTo(401);
        cachedReads.forEach(path -> assertThat(onNode2.get(path).status()).as(path).isEqualTo(401));
        assertThat(onNode1.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(ok(otherOnNode2.get("/api/v1/me")).get("id")).as("another user's token").isEqualTo(other.id());
    }

    /**
     * Commands Redis has served so far, but for those that no read sends: INFO (this count's own) and
     * the blocking XREAD each node's event reader repeats.
     */
    private static long redisCommands(TwoNodes.Cluster cluster) {
        Matcher calls = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(cluster.redis().command("INFO commandstats"));
        long total = 0;
        while (calls.find()) {
            if (!List.of("info", "xread").contains(calls.group(1))) {
                total += Long.parseLong(calls.group(2));
            }
        }
        return total;
    }

    /** The headers of an answer without those that differ between two answers of the same content. */
    private static Map<String, List<String>> withoutDateAndCsrfValue(ApiResponse response) {
        Map<String, List<String>> headers = new java.util.TreeMap<>(response.allHeaders());
        headers.remove("date");
        headers.computeIfPresent("set-cookie", (name, values) -> values.stream()
                .map(v -> v.replaceFirst("^XSRF-TOKEN=[^;]*", "XSRF-TOKEN=*")).toList());
        return headers;
    }

    private static String task(String listId, String taskId) {
        return "/api/v1/lists/" + listId + "/tasks/" + taskId;
    }

    /** Reads everything twice and checks that the second time came from the cache. */
    private static void warm(CacheMetrics node, ApiClient reader, String listId) {
        if (listId != null) {
            seen(reader, listId);
            double hits = node.hits();
            seen(reader, listId);
            assertThat(node.hits() - hits).as("every read of the second round is a hit").isEqualTo(5);
        } else {
            lists(reader);
            double hits = node.hits();
            lists(reader);
            assertThat(node.hits() - hits).isEqualTo(1);
        }
    }

    private static Seen seen(ApiClient reader, String listId) {
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        return new Seen(titles(ok(reader.get(tasks)).json()), titles(ok(reader.get(tasks + "?status=active")).json()),
                titles(ok(reader.get(tasks + "?status=completed")).json()), lists(reader),
                titles(ok(reader.get("/api/v1/tasks?view=all")).json()));
    }

    private static Map<String, String> lists(ApiClient reader) {
        Map<String, String> counts = new LinkedHashMap<>();
        for (JsonNode list : ok(reader.get("/api/v1/lists")).json()) {
            counts.put(list.get("name").asString(), list.get("openCount").asLong() + "/" + list.get("totalCount").asLong());
        }
        return counts;
    }

    private static List<String> titles(JsonNode page) {
        List<String> titles = new ArrayList<>();
        page.get("items").forEach(item -> titles.add(item.get("title").asString()));
        return titles;
    }

    private static ApiResponse ok(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response;
    }

    private static CacheMetrics metrics(TwoNodes.Cluster cluster, int node) {
        return new CacheMetrics(cluster.context(node).getBean(MeterRegistry.class));
    }

    private static double circuit(TwoNodes.Cluster cluster, int node, String state) {
        return cluster.context(node).getBean(MeterRegistry.class).get("taskmesh.cache.circuit").tag("state", state)
                .gauge().value();
    }
}
