package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;

@ApiTest
class IdempotencyApiTest {

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    IdempotencyRecords records;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    private static Map<String, String> key(String key) {
        return Map.of("Idempotency-Key", key);
    }

    private static int taskCount(User user, String list) {
        return user.client().get("/api/v1/lists/" + list).json().get("totalCount").asInt();
    }

    @Test
    void aRepeatedTaskCreateReturnsTheFirstAnswerAndCreatesOneTask() {
        User alice = users.signUp();
        String list = alice.createList("Inbox");
        String k = UUID.randomUUID().toString();
        String path = "/api/v1/lists/" + list + "/tasks";

        ApiResponse first = alice.client().post(path, Map.of("title", "Once"), key(k));
        ApiResponse second = alice.client().post(path, Map.of("title", "Once"), key(k));
        ApiResponse third = alice.client().post(path, Map.of("title", "Once"), key(k));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        for (ApiResponse repeat : List.of(second, third)) {
            assertThat(repeat.status()).as(repeat.toString()).isEqualTo(201);
            assertThat(repeat.get("id")).isEqualTo(first.get("id"));
            assertThat(repeat.header("Location")).isEqualTo(first.header("Location")).isNotNull();
            assertThat(repeat.header("ETag")).isEqualTo(first.header("ETag")).isEqualTo("\"1\"");
            assertThat(repeat.json()).isEqualTo(first.json());
        }
        assertThat(taskCount(alice, list)).isEqualTo(1);
        // A different key is a different request.
        ApiResponse other = alice.client().post(path, Map.of("title", "Once"), key(k + "-2"));
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.get("id")).isNotEqualTo(first.get("id"));
        assertThat(taskCount(alice, list)).isEqualTo(2);
    }

    /**
     * A node that dies after creating the task but before storing its answer leaves no usable
     * record (it is abandoned after a while); the client's retry runs the request again and must
     * find the task created the first time.
     */
    @Test
    void aRetryAfterTheStoredAnswerWasLostFindsTheResourceCreatedTheFirstTime() {
        User alice = users.signUp();
        String list = alice.createList("Inbox");
        String k = UUID.randomUUID().toString();
        String path = "/api/v1/lists/" + list + "/tasks";
        ApiResponse first = alice.client().post(path, Map.of("title", "Exactly once"), key(k));
        ApiResponse firstList = alice.client().post("/api/v1/lists", Map.of("name", "Once"), key(k + "-list"));
        assertThat(first.status()).isEqualTo(201);

        mongo.remove(Query.query(Criteria.where("_id").in(alice.id() + ":" + k, alice.id() + ":" + k + "-list")),
                "idempotency");

        ApiResponse retry = alice.client().post(path, Map.of("title", "Exactly once"), key(k));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.get("id")).isEqualTo(first.get("id"));
        assertThat(taskCount(alice, list)).isEqualTo(1);
        ApiResponse retryList = alice.client().post("/api/v1/lists", Map.of("name", "Once"), key(k + "-list"));
        assertThat(retryList.status()).as(retryList.toString()).isEqualTo(201);
        assertThat(retryList.get("id")).isEqualTo(firstList.get("id"));
        assertThat(alice.client().get("/api/v1/lists").json().size()).isEqualTo(2);

        // The same key for another request (e.g. reused after 24 h) creates a new task.
        ApiResponse other = alice.client().post(path, Map.of("title", "Something else"), key(k + "-other"));
        assertThat(other.get("id")).isNotEqualTo(first.get("id"));
    }

    @Test
    void aRepeatedListCreateReturnsTheFirstAnswerAndCreatesOneList() {
        User alice = users.signUp();
        String k = UUID.randomUUID().toString();
        ApiResponse first = alice.client().post("/api/v1/lists", Map.of("name", "Once"), key(k));
        ApiResponse second = alice.client().post("/api/v1/lists", Map.of("name", "Once"), key(k));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location")).isNotNull();
        assertThat(second.header("ETag")).isEqualTo(first.header("ETag")).isNotNull();
        assertThat(alice.client().get("/api/v1/lists").json().size()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIs422AndCreatesNothing() {
        User alice = users.signUp();
        String list = alice.createList("Inbox");
        String path = "/api/v1/lists/" + list + "/tasks";
        String k = UUID.randomUUID().toString();
        ApiResponse first = alice.client().post(path, Map.of("title", "Original"), key(k));
        assertThat(first.status()).isEqualTo(201);

        ApiResponse reused = alice.client().post(path, Map.of("title", "Something else"), key(k));
        assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
        assertThat(reused.isProblem()).isTrue();
        assertThat(reused.json().get("status").asInt()).isEqualTo(422);
        assertThat(taskCount(alice, list)).isEqualTo(1);
        // The same key on another path is another request too.
        ApiResponse otherPath = alice.client().post("/api/v1/lists", Map.of("title", "Original"), key(k));
        assertThat(otherPath.status()).isEqualTo(422);
        assertThat(alice.client().get("/api/v1/lists").json().size()).isEqualTo(1);
        // The original request still replays.
        ApiResponse replay = alice.client().post(path, Map.of("title", "Original"), key(k));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.get("id")).isEqualTo(first.get("id"));
    }

    @Test
    void keysArePerUser() {
        User alice = users.signUp();
        User bob = users.signUp();
        String k = "shared-key-" + UUID.randomUUID();
        ApiResponse alices = alice.client().post("/api/v1/lists", Map.of("name", "Same"), key(k));
        ApiResponse bobs = bob.client().post("/api/v1/lists", Map.of("name", "Same"), key(k));

        assertThat(alices.status()).isEqualTo(201);
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(201);
        assertThat(bobs.get("id")).isNotEqualTo(alices.get("id"));
        assertThat(bobs.get("role")).isEqualTo("owner");
        assertThat(bob.client().get("/api/v1/lists/" + bobs.get("id")).status()).isEqualTo(200);
        assertThat(bob.client().get("/api/v1/lists/" + alices.get("id")).status()).isEqualTo(404);
    }

    @Test
    void aKeyIsTheSameWhetherTheUserUsesItsSessionOrAToken() {
        User alice = users.signUp();
        ApiClient bearer = users.bearerClient(alice);
        String k = UUID.randomUUID().toString();
        ApiResponse bySession = alice.client().post("/api/v1/lists", Map.of("name", "One"), key(k));
        ApiResponse byToken = bearer.post("/api/v1/lists", Map.of("name", "One"), key(k));
        assertThat(byToken.status()).isEqualTo(201);
        assertThat(byToken.get("id")).isEqualTo(bySession.get("id"));
        assertThat(alice.client().get("/api/v1/lists").json().size()).isEqualTo(1);
    }

    @Test
    void failedRequestsAreReplayedToo() {
        User alice = users.signUp();
        String list = alice.createList("Inbox");
        String path = "/api/v1/lists/" + list + "/tasks";
        String k = UUID.randomUUID().toString();
        ApiResponse invalid = alice.client().post(path, Map.of("title", "   "), key(k));
        ApiResponse again = alice.client().post(path, Map.of("title", "   "), key(k));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.text()).isEqualTo(invalid.text());
        assertThat(taskCount(alice, list)).isZero();
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneTask() throws Exception {
        User alice = users.signUp();
        String list = alice.createList("Race");
        String path = "/api/v1/lists/" + list + "/tasks";
        int threads = 8;
        int rounds = 5;
        List<ApiClient> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            clients.add(users.bearerClient(alice));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                String k = "race-" + round + "-" + UUID.randomUUID();
                Map<String, String> title = Map.of("title", "round " + round);
                CyclicBarrier barrier = new CyclicBarrier(threads);
                List<Future<ApiResponse>> futures = new ArrayList<>();
                for (ApiClient client : clients) {
                    futures.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return client.post(path, title, key(k));
                    }));
                }
                Set<String> ids = new HashSet<>();
                int created = 0;
                for (Future<ApiResponse> future : futures) {
                    ApiResponse response = future.get(30, TimeUnit.SECONDS);
                    if (response.status() == 201) {
                        created++;
                        ids.add(response.get("id"));
                        assertThat(response.header("Location")).endsWith("/tasks/" + response.get("id"));
                    } else {
                        assertThat(response.status()).as(response.toString()).isEqualTo(409);
                        assertThat(response.isProblem()).isTrue();
                        assertThat(response.header("Retry-After")).isNotBlank();
                    }
                }
                assertThat(created).as("round " + round + ": at least one request succeeds").isPositive();
                assertThat(ids).as("round " + round + ": every success names the same task").hasSize(1);
                assertThat(taskCount(alice, list)).as("round " + round + ": one task per key").isEqualTo(round + 1);

                ApiResponse retry = clients.get(0).post(path, title, key(k));
                assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
                assertThat(retry.get("id")).isEqualTo(ids.iterator().next());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(taskCount(alice, list)).isEqualTo(rounds);
    }

    /**
     * A node died while running a create: its claim stays "in progress". Repeats are 409 while the
     * lease runs, and run the request once it has lapsed (the node renews it no more).
     */
    @Test
    void aClaimLeftByADeadNodeIsFreedWhenItsLeaseLapses() {
        User alice = users.signUp();
        String list = alice.createList("Inbox");
        String k = UUID.randomUUID().toString();
        String path = "/api/v1/lists/" + list + "/tasks";
        String body = "{\"title\":\"after the crash\"}";
        String hash = Sha256.hex(path.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                body.getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        mongo.insert(new IdempotencyRecords.IdempotencyRecord(alice.id() + ":" + k, hash, false, 0, Map.of(), null,
                now, now.plus(IdempotencyRecords.LEASE), now.plus(IdempotencyRecords.RETENTION)));

        ApiResponse whileLeased = alice.client().post(path, body, key(k));
        assertThat(whileLeased.status()).as(whileLeased.toString()).isEqualTo(409);
        assertThat(whileLeased.header("Retry-After")).isEqualTo("1");
        assertThat(taskCount(alice, list)).isZero();

        mongo.updateFirst(Query.query(Criteria.where("_id").is(alice.id() + ":" + k)),
                new Update().set("leaseUntil", now.minusSeconds(1)), "idempotency");
        ApiResponse afterLapse = alice.client().post(path, body, key(k));
        assertThat(afterLapse.status()).as(afterLapse.toString()).isEqualTo(201);
        assertThat(afterLapse.get("title")).isEqualTo("after the crash");
        assertThat(taskCount(alice, list)).isEqualTo(1);
    }

    @Test
    void theNodeRunningARequestRenewsItsLeaseUntilTheAnswerIsStored() {
        String id = "lease-test:" + UUID.randomUUID();
        assertThat(records.claim(id, "hash")).isTrue();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("leaseUntil", Instant.now().minusSeconds(1)), "idempotency");

        records.renewLeases();
        assertThat(leaseOf(id)).isAfter(Instant.now().plus(IdempotencyRecords.LEASE).minusSeconds(5));
        assertThat(records.find(id)).as("still claimed").hasValueSatisfying(r -> assertThat(r.done()).isFalse());

        records.complete(id, 201, Map.of(), "{}");
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("leaseUntil", Instant.EPOCH), "idempotency");
        records.renewLeases();
        assertThat(leaseOf(id)).as("a stored answer is not renewed").isEqualTo(Instant.EPOCH);
    }

    private Instant leaseOf(String id) {
        return mongo.findById(id, IdempotencyRecords.IdempotencyRecord.class).leaseUntil();
    }
}
