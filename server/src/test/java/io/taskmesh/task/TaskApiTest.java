package io.taskmesh.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import tools.jackson.databind.JsonNode;

@ApiTest
class TaskApiTest {

    static final List<String> TASK_FIELDS = List.of("id", "listId", "title", "notes", "due", "priority", "completed",
            "completedAt", "position", "version", "createdAt", "updatedAt");

    @LocalServerPort
    int port;

    TestUsers users;
    User alice;
    String list;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
        alice = users.signUp();
        list = alice.createList("Tasks");
    }

    static void assertTaskShape(JsonNode task) {
        assertThat(new ArrayList<>(task.propertyNames())).as(task.toString())
                .containsExactlyInAnyOrderElementsOf(TASK_FIELDS);
        assertThat(task.get("id").asString()).matches("[0-9a-f]{24}");
        assertThat(task.get("priority").asString()).isIn("none", "low", "medium", "high");
        assertThat(task.get("position").isNumber()).isTrue();
        Instant created = Instant.parse(task.get("createdAt").asString());
        assertThat(Instant.parse(task.get("updatedAt").asString())).isAfterOrEqualTo(created);
        assertThat(created).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(5));
    }

    private String tasks() {
        return "/api/v1/lists/" + list + "/tasks";
    }

    private String task(String id) {
        return tasks() + "/" + id;
    }

    private List<String> titles(String query) {
        ApiResponse page = alice.client().get(tasks() + query);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        page.json().get("items").forEach(t -> titles.add(t.get("title").asString()));
        return titles;
    }

    @Test
    void aClientThatAcceptsGzipGetsTheFirstPageCompressed() {
        for (int i = 0; i < 20; i++) {
            alice.createTask(list, "A task whose title makes the page longer than a kilobyte, number " + i);
        }
        String json = alice.client().get(tasks()).text();
        ApiResponse compressed = alice.client().get(tasks(), Map.of("Accept-Encoding", "gzip, deflate"));
        assertThat(compressed.status()).isEqualTo(200);
        assertThat(compressed.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(compressed.gunzipped()).isEqualTo(json);
        assertThat(alice.client().get(tasks(), Map.of("Accept-Encoding", "gzip;q=0")).text()).isEqualTo(json);
    }

    @Test
    void creatingATaskAnswers201WithLocationEtagAndTheFullTaskWithDefaults() {
        ApiResponse created = alice.client().post(tasks(), Map.of("title", "Buy milk"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode task = created.json();
        assertTaskShape(task);
        assertThat(task.get("listId").asString()).isEqualTo(list);
        assertThat(task.get("title").asString()).isEqualTo("Buy milk");
        assertThat(task.get("notes").asString()).isEmpty();
        assertThat(task.get("due").isNull()).isTrue();
        assertThat(task.get("priority").asString()).isEqualTo("none");
        assertThat(task.get("completed").asBoolean()).isFalse();
        assertThat(task.get("completedAt").isNull()).isTrue();
        assertThat(task.get("version").asLong()).isEqualTo(1);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Location")).endsWith(task(task.get("id").asString()));

        ApiResponse fetched = alice.client().get(task(task.get("id").asString()));
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.header("ETag")).isEqualTo("\"1\"");
        assertThat(fetched.json()).isEqualTo(task);
    }

    @Test
    void creatingATaskKeepsEveryGivenField() {
        ApiResponse created = alice.postTask(list,
                Map.of("title", "Report", "notes", "Q3 numbers\nsecond line", "due", "2031-02-28", "priority", "high"));
        JsonNode task = created.json();
        assertThat(task.get("notes").asString()).isEqualTo("Q3 numbers\nsecond line");
        assertThat(task.get("due").asString()).isEqualTo("2031-02-28");
        assertThat(task.get("priority").asString()).isEqualTo("high");
        assertThat(alice.client().get(task(task.get("id").asString())).json()).isEqualTo(task);
    }

    @Test
    void theTitleIsTrimmed() {
        ApiResponse created = alice.postTask(list, Map.of("title", " \t Call mum \n "));
        assertThat(created.get("title")).isEqualTo("Call mum");
        ApiResponse patched = alice.client().patch(task(created.get("id")), Map.of("title", "  Call dad  "));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.get("title")).isEqualTo("Call dad");
        assertThat(alice.client().get(task(created.get("id"))).get("title")).isEqualTo("Call dad");
    }

    @Test
    void newTasksAreAppendedAtTheEndInCreationOrder() {
        List<String> ids = new ArrayList<>();
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 6; i++) {
            JsonNode task = alice.postTask(list, Map.of("title", "task " + i)).json();
            assertThat(task.get("position").asDouble()).isGreaterThan(previous);
            previous = task.get("position").asDouble();
            ids.add(task.get("id").asString());
        }
        ApiResponse page = alice.client().get(tasks());
        List<String> listed = new ArrayList<>();
        page.json().get("items").forEach(t -> listed.add(t.get("id").asString()));
        assertThat(listed).containsExactlyElementsOf(ids);
        assertThat(page.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void anExplicitPositionPlacesTheTaskAndLaterTasksStillGoLast() {
        double first = alice.postTask(list, Map.of("title", "A")).json().get("position").asDouble();
        double second = alice.postTask(list, Map.of("title", "C")).json().get("position").asDouble();
        JsonNode between = alice.postTask(list, Map.of("title", "B", "position", (first + second) / 2)).json();
        assertThat(between.get("position").asDouble()).isEqualTo((first + second) / 2);
        alice.postTask(list, Map.of("title", "Z", "position", first - 10));
        alice.postTask(list, Map.of("title", "D"));

        assertThat(titles("")).containsExactly("Z", "A", "B", "C", "D");
    }

    @Test
    void patchingThePositionReordersTheList() {
        String a = alice.createTask(list, "A");
        alice.createTask(list, "B");
        alice.createTask(list, "C");
        ApiResponse moved = alice.client().patch(task(a), Map.of("position", 1000));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("position").asDouble()).isEqualTo(1000);
        assertThat(titles("")).containsExactly("B", "C", "A");
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndIncrementsTheVersion() {
        JsonNode original = alice.postTask(list,
                Map.of("title", "Write", "notes", "draft", "due", "2030-05-01", "priority", "low")).json();
        String id = original.get("id").asString();

        ApiResponse patched = alice.client().patch(task(id), Map.of("priority", "medium", "notes", "final"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode task = patched.json();
        assertTaskShape(task);
        assertThat(task.get("priority").asString()).isEqualTo("medium");
        assertThat(task.get("notes").asString()).isEqualTo("final");
        assertThat(task.get("title").asString()).isEqualTo("Write");
        assertThat(task.get("due").asString()).isEqualTo("2030-05-01");
        assertThat(task.get("position").asDouble()).isEqualTo(original.get("position").asDouble());
        assertThat(task.get("createdAt")).isEqualTo(original.get("createdAt"));
        assertThat(task.get("version").asLong()).isEqualTo(2);
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");

        ApiResponse again = alice.client().patch(task(id), Map.of("title", "Rewrite"));
        assertThat(again.json().get("version").asLong()).isEqualTo(3);
        assertThat(alice.client().get(task(id)).header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void patchingDueToNullClearsTheDueDate() {
        String id = alice.postTask(list, Map.of("title", "Dated", "due", "2030-01-15")).get("id");

        ApiResponse changed = alice.client().patch(task(id), Map.of("due", "2030-02-01"));
        assertThat(changed.get("due")).isEqualTo("2030-02-01");
        ApiResponse cleared = alice.client().patch(task(id), "{\"due\":null}");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("due").isNull()).isTrue();
        assertThat(alice.client().get(task(id)).json().get("due").isNull()).isTrue();
        // An absent due leaves it alone.
        alice.client().patch(task(id), Map.of("due", "2030-03-03"));
        ApiResponse untouched = alice.client().patch(task(id), Map.of("title", "Still dated"));
        assertThat(untouched.get("due")).isEqualTo("2030-03-03");
    }

    @Test
    void completingSetsCompletedAtAndReopeningClearsIt() {
        String id = alice.createTask(list, "Finish");
        Instant before = Instant.now().minusSeconds(1);

        ApiResponse done = alice.client().patch(task(id), Map.of("completed", true));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("completed").asBoolean()).isTrue();
        assertThat(Instant.parse(done.get("completedAt"))).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(done.json().get("version").asLong()).isEqualTo(2);
        assertThat(alice.client().get("/api/v1/lists/" + list).json().get("openCount").asLong()).isZero();

        ApiResponse reopened = alice.client().patch(task(id), Map.of("completed", false));
        assertThat(reopened.json().get("completed").asBoolean()).isFalse();
        assertThat(reopened.json().get("completedAt").isNull()).isTrue();
        assertThat(reopened.json().get("version").asLong()).isEqualTo(3);
        assertThat(alice.client().get(task(id)).json().get("completedAt").isNull()).isTrue();
    }

    @Test
    void deletingATaskAnswers204AndTheTaskIsGone() {
        String id = alice.createTask(list, "Temporary");
        String other = alice.createTask(list, "Other");
        ApiResponse deleted = alice.client().delete(task(id));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertThat(alice.client().get(task(id)).status()).isEqualTo(404);
        assertThat(alice.client().delete(task(id)).status()).isEqualTo(404);
        assertThat(titles("")).containsExactly("Other");
        assertThat(alice.client().get(task(other)).status()).isEqualTo(200);
    }

    @Test
    void completeAllReportsHowManyTasksChanged() {
        for (int i = 0; i < 4; i++) {
            alice.createTask(list, "t" + i);
        }
        String doneAlready = alice.createTask(list, "done");
        alice.client().patch(task(doneAlready), Map.of("completed", true));

        ApiResponse all = alice.client().post(tasks() + "/complete-all", Map.of("completed", true));
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().get("updated").asLong()).isEqualTo(4);
        assertThat(titles("?status=active")).isEmpty();
        ApiResponse some = alice.client().get(task(doneAlready));
        assertThat(some.json().get("completed").asBoolean()).isTrue();
        alice.client().get(tasks()).json().get("items")
                .forEach(t -> assertThat(t.get("completedAt").isNull()).as(t.toString()).isFalse());

        ApiResponse none = alice.client().post(tasks() + "/complete-all", Map.of("completed", true));
        assertThat(none.json().get("updated").asLong()).isZero();

        ApiResponse reopen = alice.client().post(tasks() + "/complete-all", Map.of("completed", false));
        assertThat(reopen.json().get("updated").asLong()).isEqualTo(5);
        alice.client().get(tasks()).json().get("items").forEach(t -> {
            assertThat(t.get("completed").asBoolean()).isFalse();
            assertThat(t.get("completedAt").isNull()).isTrue();
        });
        assertThat(alice.client().get("/api/v1/lists/" + list).json().get("openCount").asLong()).isEqualTo(5);
    }

    @Test
    void completeAllChangesTheVersionOfEachChangedTask() {
        String id = alice.createTask(list, "one");
        alice.client().post(tasks() + "/complete-all", Map.of("completed", true));
        ApiResponse fetched = alice.client().get(task(id));
        assertThat(fetched.json().get("version").asLong()).isEqualTo(2);
        assertThat(fetched.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void clearingCompletedDeletesOnlyCompletedTasksAndReportsTheCount() {
        String a = alice.createTask(list, "a");
        String b = alice.createTask(list, "b");
        alice.createTask(list, "c");
        alice.client().patch(task(a), Map.of("completed", true));
        alice.client().patch(task(b), Map.of("completed", true));

        ApiResponse cleared = alice.client().delete(tasks() + "?status=completed");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("deleted").asLong()).isEqualTo(2);
        assertThat(titles("")).containsExactly("c");
        assertThat(alice.client().get(task(a)).status()).isEqualTo(404);
        assertThat(alice.client().delete(tasks() + "?status=completed").json().get("deleted").asLong()).isZero();
        JsonNode counts = alice.client().get("/api/v1/lists/" + list).json();
        assertThat(counts.get("totalCount").asLong()).isEqualTo(1);
        assertThat(counts.get("openCount").asLong()).isEqualTo(1);
    }

    @Test
    void theStatusFilterSelectsActiveOrCompletedTasksInListOrder() {
        for (String title : List.of("a", "b", "c", "d", "e")) {
            alice.createTask(list, title);
        }
        List<JsonNode> items = new ArrayList<>();
        alice.client().get(tasks()).json().get("items").forEach(items::add);
        alice.client().patch(task(items.get(1).get("id").asString()), Map.of("completed", true));
        alice.client().patch(task(items.get(3).get("id").asString()), Map.of("completed", true));

        assertThat(titles("?status=active")).containsExactly("a", "c", "e");
        assertThat(titles("?status=completed")).containsExactly("b", "d");
        assertThat(titles("?status=all")).containsExactly("a", "b", "c", "d", "e");
        assertThat(titles("")).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void textSearchMatchesTitleOrNotesIgnoringCase() {
        alice.createTask(list, "Buy MILK");
        alice.postTask(list, Map.of("title", "Groceries", "notes", "eggs, milk and bread"));
        alice.createTask(list, "Call the plumber");

        assertThat(titles("?q=milk")).containsExactly("Buy MILK", "Groceries");
        assertThat(titles("?q=PLUMB")).containsExactly("Call the plumber");
        assertThat(titles("?q=nothing-like-this")).isEmpty();
    }

    @Test
    void textSearchTreatsRegexMetacharactersLiterally() {
        alice.createTask(list, "a.b literal dot");
        alice.createTask(list, "axb no dot");
        alice.createTask(list, "cost (USD) $5 + tax [approx] ^up* ?maybe |pipe \\slash");

        assertThat(titles("?q=a.b")).containsExactly("a.b literal dot");
        assertThat(titles("?q=" + encode("(USD)"))).hasSize(1);
        assertThat(titles("?q=" + encode("$5 + tax"))).hasSize(1);
        assertThat(titles("?q=" + encode("[approx] ^up*"))).hasSize(1);
        assertThat(titles("?q=" + encode("?maybe |pipe \\slash"))).hasSize(1);
        assertThat(titles("?q=" + encode(".*"))).isEmpty();
        assertThat(titles("?q=" + encode("a|x"))).isEmpty();
        assertThat(titles("?q=" + encode("\\E.*"))).isEmpty();
    }

    @Test
    void textSearchCombinesWithTheStatusFilter() {
        String done = alice.createTask(list, "report draft");
        alice.createTask(list, "report final");
        alice.client().patch(task(done), Map.of("completed", true));
        assertThat(titles("?q=report&status=active")).containsExactly("report final");
        assertThat(titles("?q=report&status=completed")).containsExactly("report draft");
    }

    @Test
    void movingATaskPutsItAtTheEndOfTheTargetListAndUpdatesBothCounts() {
        String target = alice.createList("Target");
        alice.createTask(target, "t1");
        alice.createTask(target, "t2");
        alice.createTask(list, "stays");
        JsonNode original = alice.postTask(list, Map.of("title", "moves", "notes", "n", "due", "2030-01-01")).json();
        String id = original.get("id").asString();

        ApiResponse moved = alice.client().patch(task(id), Map.of("listId", target));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.get("listId")).isEqualTo(target);
        assertThat(moved.get("id")).isEqualTo(id);
        assertThat(moved.get("notes")).isEqualTo("n");
        assertThat(moved.get("due")).isEqualTo("2030-01-01");
        assertThat(moved.json().get("version").asLong()).isEqualTo(2);

        ApiResponse targetPage = alice.client().get("/api/v1/lists/" + target + "/tasks");
        List<String> targetTitles = new ArrayList<>();
        targetPage.json().get("items").forEach(t -> targetTitles.add(t.get("title").asString()));
        assertThat(targetTitles).containsExactly("t1", "t2", "moves");
        assertThat(titles("")).containsExactly("stays");
        assertThat(alice.client().get(task(id)).status()).isEqualTo(404);
        assertThat(alice.client().get("/api/v1/lists/" + target + "/tasks/" + id).status()).isEqualTo(200);
        assertThat(alice.client().get("/api/v1/lists/" + list).json().get("totalCount").asLong()).isEqualTo(1);
        assertThat(alice.client().get("/api/v1/lists/" + target).json().get("totalCount").asLong()).isEqualTo(3);
        // The next task created in the target goes after the moved one.
        alice.createTask(target, "t3");
        List<String> after = new ArrayList<>();
        alice.client().get("/api/v1/lists/" + target + "/tasks").json().get("items")
                .forEach(t -> after.add(t.get("title").asString()));
        assertThat(after).containsExactly("t1", "t2", "moves", "t3");
    }

    @Test
    void movingATaskToASharedListTheCallerCanEditWorks() {
        User bob = users.signUp();
        String bobs = bob.createList("Bob's");
        bob.share(bobs, alice, "editor");
        String id = alice.createTask(list, "for bob");

        ApiResponse moved = alice.client().patch(task(id), Map.of("listId", bobs));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        ApiResponse seenByBob = bob.client().get("/api/v1/lists/" + bobs + "/tasks/" + id);
        assertThat(seenByBob.status()).isEqualTo(200);
        assertThat(seenByBob.get("title")).isEqualTo("for bob");
    }

    @Test
    void movingATaskToAListTheCallerOnlyViewsIsRefusedAndChangesNothing() {
        User bob = users.signUp();
        String bobs = bob.createList("Bob's");
        bob.share(bobs, alice, "viewer");
        String id = alice.createTask(list, "stay here");

        ApiResponse refused = alice.client().patch(task(id), Map.of("listId", bobs));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();
        ApiResponse still = alice.client().get(task(id));
        assertThat(still.get("listId")).isEqualTo(list);
        assertThat(still.json().get("version").asLong()).isEqualTo(1);
        assertThat(alice.client().get("/api/v1/lists/" + bobs).json().get("totalCount").asLong()).isZero();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
