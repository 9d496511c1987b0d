package io.taskmesh.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import tools.jackson.databind.JsonNode;

@ApiTest
class PaginationApiTest {

    static final int TASKS = 230;
    static final int PAGE = 17;
    static final int MAX_CONCURRENT_INSERTS = 150;

    @LocalServerPort
    int port;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    /** Every page of {@code path} in turn, following nextCursor. */
    private static List<JsonNode> readAllPages(ApiClient client, String path) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            String url = path + (path.contains("?") ? "&" : "?") + "limit=" + PAGE
                    + (cursor == null ? "" : "&cursor=" + cursor);
            ApiResponse page = client.get(url);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.get("items").size()).isLessThanOrEqualTo(PAGE);
            body.get("items").forEach(items::add);
            JsonNode next = body.get("nextCursor");
            if (next == null || next.isNull()) {
                return items;
            }
            assertThat(body.get("items").size()).as("a page before the last is full").isEqualTo(PAGE);
            cursor = next.asString();
        }
        throw new AssertionError("paging did not end");
    }

    /**
     * Pages through {@code path} while another thread keeps adding tasks with {@code insert};
     * returns the items read and checks that inserts really happened while paging.
     */
    private static List<JsonNode> pageWhileInserting(ApiClient reader, String path, IntFunction<ApiResponse> insert)
            throws Exception {
        AtomicBoolean pagingDone = new AtomicBoolean();
        AtomicInteger insertsDuringPaging = new AtomicInteger();
        AtomicBoolean paging = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> inserter = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (!pagingDone.get() && n < MAX_CONCURRENT_INSERTS) {
                ApiResponse created = insert.apply(n++);
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                if (paging.get()) {
                    insertsDuringPaging.incrementAndGet();
                }
                started.countDown();
            }
            return n;
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).as("the inserter started").isTrue();
        paging.set(true);
        List<JsonNode> items;
        try {
            items = readAllPages(reader, path);
        } finally {
            paging.set(false);
            pagingDone.set(true);
        }
        inserter.get(60, TimeUnit.SECONDS);
        assertThat(insertsDuringPaging.get()).as("tasks were added while paging").isPositive();
        return items;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(t -> t.get("id").asString()).toList();
    }

    private static void assertEachOnceInOrder(List<String> before, List<String> read) {
        assertThat(new HashSet<>(read)).as("no task is returned twice").hasSameSizeAs(read);
        assertThat(read).as("every task that existed before paging").containsAll(before);
        Set<String> old = new HashSet<>(before);
        assertThat(read.stream().filter(old::contains).toList()).as("in order").containsExactlyElementsOf(before);
    }

    @Test
    void pagingAListReturnsEveryTaskOnceInOrderWhileTasksAreAppended() throws Exception {
        User alice = users.signUp();
        String list = alice.createList("Long");
        String tasks = "/api/v1/lists/" + list + "/tasks";
        List<String> before = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            before.add(alice.createTask(list, "task " + i));
        }
        ApiClient writer = users.bearerClient(alice);

        List<JsonNode> read = pageWhileInserting(alice.client(), tasks,
                n -> writer.post(tasks, Map.of("title", "late " + n)));

        List<String> ids = ids(read);
        assertEachOnceInOrder(before, ids);
        assertThat(ids.subList(0, TASKS)).as("appended tasks come after the old ones").containsExactlyElementsOf(before);
        for (int i = 1; i < read.size(); i++) {
            assertThat(read.get(i).get("position").asDouble())
                    .isGreaterThanOrEqualTo(read.get(i - 1).get("position").asDouble());
        }
        // Read again at rest: exactly what is stored, each once.
        List<String> all = ids(readAllPages(alice.client(), tasks));
        int total = alice.client().get("/api/v1/lists/" + list).json().get("totalCount").asInt();
        assertThat(all).hasSize(total);
        assertThat(new HashSet<>(all)).hasSize(total);
    }

    @Test
    void tasksAtTheSamePositionArePagedInIdOrder() {
        User alice = users.signUp();
        String list = alice.createList("Ties");
        String tasks = "/api/v1/lists/" + list + "/tasks";
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ApiResponse task = alice.client().post(tasks, Map.of("title", "tie " + i, "position", 7));
            assertThat(task.status()).as(task.toString()).isEqualTo(201);
            created.add(task.json().get("id").asString());
        }
        List<String> read = ids(readAllPages(alice.client(), tasks));
        assertThat(read).containsExactlyElementsOf(created.stream().sorted().toList());
    }

    @Test
    void pagingWithAStatusFilterAndSearchSkipsNothing() {
        User alice = users.signUp();
        String list = alice.createList("Filtered");
        String tasks = "/api/v1/lists/" + list + "/tasks";
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = alice.createTask(list, (i % 3 == 0 ? "Match " : "other ") + i);
            if (i % 3 == 0 && i % 2 == 0) {
                wanted.add(id);
            }
            if (i % 2 == 1) {
                assertThat(alice.client().patch(tasks + "/" + id, Map.of("completed", true)).status()).isEqualTo(200);
            }
        }
        assertThat(ids(readAllPages(alice.client(), tasks + "?status=active&q=match"))).containsExactlyElementsOf(wanted);
    }

    @Test
    void pagingAViewReturnsEveryOpenTaskOnceInOrderWhileTasksAreAdded() throws Exception {
        User alice = users.signUp();
        User bob = users.signUp();
        String mine = alice.createList("Mine");
        String bobs = bob.createList("Bob's");
        bob.share(bobs, alice, "editor");
        LocalDate base = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < TASKS; i++) {
            Map<String, Object> body = new HashMap<>();
            body.put("title", "task " + i);
            if (i % 7 != 0) {
                body.put("due", base.plusDays(i % 11 - 5).toString());
            }
            (i % 2 == 0 ? alice : bob).postTask(i % 2 == 0 ? mine : bobs, body);
        }
        List<JsonNode> expected = readAllPages(alice.client(), "/api/v1/tasks?view=all");
        assertThat(expected).hasSize(TASKS);
        List<String> before = ids(expected);
        // Alice (editor of Bob's list) adds to both lists through a token while paging by session.
        ApiClient writer = users.bearerClient(alice);

        List<JsonNode> read = pageWhileInserting(alice.client(), "/api/v1/tasks?view=all", n -> {
            Map<String, Object> body = new HashMap<>();
            body.put("title", "late " + n);
            if (n % 3 != 0) {
                body.put("due", base.plusDays(n % 13 - 6).toString());
            }
            return writer.post("/api/v1/lists/" + (n % 2 == 0 ? bobs : mine) + "/tasks", body);
        });

        assertEachOnceInOrder(before, ids(read));
        for (int i = 1; i < read.size(); i++) {
            String previous = dueSort(read.get(i - 1));
            String current = dueSort(read.get(i));
            assertThat(current).as("ordered by due date, undated last").isGreaterThanOrEqualTo(previous);
        }
    }

    private static String dueSort(JsonNode task) {
        return task.get("due").isNull() ? "9999-12-31" : task.get("due").asString();
    }

    @Test
    void pagingTheTodayViewReturnsEachTaskOnce() {
        User alice = users.signUp();
        String list = alice.createList("Due");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < 40; i++) {
            Map<String, Object> body = new HashMap<>();
            body.put("title", "t" + i);
            body.put("due", today.minusDays(i % 4).toString());
            alice.postTask(list, body);
        }
        alice.createTask(list, "undated");
        List<String> ids = ids(readAllPages(alice.client(), "/api/v1/tasks?view=today&tz=UTC"));
        // Tasks dated up to three days back are due "today or earlier" whatever the date is now.
        assertThat(ids).hasSize(40);
        assertThat(new HashSet<>(ids)).hasSize(40);
    }

    @Test
    void theLimitDefaultsTo50AndIsAtMost200() {
        User alice = users.signUp();
        String list = alice.createList("Many");
        for (int i = 0; i < 55; i++) {
            alice.createTask(list, "t" + i);
        }
        String tasks = "/api/v1/lists/" + list + "/tasks";
        ApiResponse first = alice.client().get(tasks);
        assertThat(first.json().get("items").size()).isEqualTo(50);
        assertThat(first.get("nextCursor")).isNotBlank();
        ApiResponse rest = alice.client().get(tasks + "?cursor=" + first.get("nextCursor"));
        assertThat(rest.json().get("items").size()).isEqualTo(5);
        assertThat(rest.json().get("nextCursor").isNull()).isTrue();
        assertThat(alice.client().get(tasks + "?limit=200").json().get("items").size()).isEqualTo(55);
        ApiResponse tooMany = alice.client().get(tasks + "?limit=201");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.isProblem()).isTrue();
        assertThat(alice.client().get(tasks + "?cursor=not-a-cursor").status()).isEqualTo(400);
        assertThat(alice.client().get("/api/v1/tasks?limit=0").status()).isEqualTo(400);
    }
}
