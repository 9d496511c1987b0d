package io.taskmesh.task;

import static io.taskmesh.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.FourRolesApiTest;
import io.taskmesh.support.ListSnapshot;
import io.taskmesh.support.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what to tasks: a stranger cannot reach them (404, also through a list of its own),
 * a viewer reads but cannot change them (403), an editor changes them, and a move needs the right
 * to edit both lists.
 */
class TaskAccessApiTest extends FourRolesApiTest {

    static final List<String> MALFORMED_IDS = List.of("not-an-id", "0123456789ABCDEF01234567", "%24ne",
            "0123456789abcdef012345678");

    /** The owner's list with an open task due today and a completed task, shared with the editor and the viewer. */
    record Fixture(String listId, String openTask, String doneTask) {
    }

    Fixture sharedList() {
        String listId = owner.createList("Tasks " + System.nanoTime());
        ApiResponse open = owner.client().post("/api/v1/lists/" + listId + "/tasks",
                Map.of("title", "Open task", "due", java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()));
        assertThat(open.status()).as(open.toString()).isEqualTo(201);
        String done = owner.createTask(listId, "Done task");
        assertThat(owner.client().patch(taskPath(listId, done), Map.of("completed", true)).status()).isEqualTo(200);
        shareWithEditorAndViewer(listId);
        return new Fixture(listId, open.get("id"), done);
    }

    static String taskPath(String listId, String taskId) {
        return "/api/v1/lists/" + listId + "/tasks/" + taskId;
    }

    /** A call on tasks: method, path with {list} and {task}, body. */
    record Call(String method, String path, Object body) {

        ApiResponse send(ApiClient client, String listId, String taskId) {
            return client.send(method, path.replace("{list}", listId).replace("{task}", taskId), body, Map.of());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Call> readCalls() {
        return List.of(
                new Call("GET", "/api/v1/lists/{list}/tasks", null),
                new Call("GET", "/api/v1/lists/{list}/tasks?status=completed", null),
                new Call("GET", "/api/v1/lists/{list}/tasks/{task}", null));
    }

    static List<Call> writeCalls(String moveTo) {
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("POST", "/api/v1/lists/{list}/tasks", Map.of("title", "Injected")));
        calls.add(new Call("PATCH", "/api/v1/lists/{list}/tasks/{task}", Map.of("title", "Changed")));
        calls.add(new Call("PATCH", "/api/v1/lists/{list}/tasks/{task}", Map.of("completed", true)));
        calls.add(new Call("PATCH", "/api/v1/lists/{list}/tasks/{task}", Map.of("listId", moveTo)));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}/tasks/{task}", null));
        calls.add(new Call("POST", "/api/v1/lists/{list}/tasks/complete-all", Map.of("completed", true)));
        calls.add(new Call("POST", "/api/v1/lists/{list}/tasks/complete-all", Map.of("completed", false)));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}/tasks?status=completed", null));
        return calls;
    }

    @Test
    void aStrangerGets404ForEveryTaskCallAndChangesNothing() {
        Fixture f = sharedList();
        String strangersList = stranger.createList("Stranger's own");
        JsonNode before = ListSnapshot.of(owner.client(), f.listId());
        JsonNode strangersBefore = ListSnapshot.of(stranger.client(), strangersList);
        List<Call> calls = new ArrayList<>(readCalls());
        calls.addAll(writeCalls(strangersList));
        ApiClient cookie = stranger.client();
        ApiClient bearer = users.bearerClient(stranger);
        for (Call call : calls) {
            for (String taskId : call.path().contains("{task}") ? List.of(f.openTask(), f.doneTask())
                    : List.of(f.openTask())) {
                ApiResponse real = call.send(cookie, f.listId(), taskId);
                assertProblem(real, 404);
                assertProblem(call.send(bearer, f.listId(), taskId), 404);
                ApiResponse missing = call.send(cookie, MISSING_ID, taskId);
                assertProblem(missing, 404);
                // The answer does not tell an existing list from a missing one.
                assertThat(real.get("title")).isEqualTo(missing.get("title"));
                assertThat(real.get("detail").replace(f.listId(), "ID"))
                        .isEqualTo(missing.get("detail").replace(MISSING_ID, "ID"));
                // The owner's task addressed through the stranger's own list.
                if (call.path().contains("{task}")) {
                    assertProblem(call.send(cookie, strangersList, taskId), 404);
                }
            }
            for (String malformed : MALFORMED_IDS) {
                assertProblem(call.send(cookie, malformed, f.openTask()), 404);
                if (call.path().contains("{task}")) {
                    assertProblem(call.send(cookie, f.listId(), malformed), 404);
                }
            }
            if (call.path().contains("{task}")) {
                assertProblem(call.send(cookie, f.listId(), MISSING_ID), 404);
            }
        }
        for (ApiClient client : List.of(cookie, bearer)) {
            ApiResponse view = client.get("/api/v1/tasks?view=all&limit=200");
            assertThat(view.status()).isEqualTo(200);
            assertThat(view.text()).doesNotContain(f.listId()).doesNotContain(f.openTask());
            for (String name : List.of("today", "week", "overdue")) {
                ApiResponse other = client.get("/api/v1/tasks?view=" + name);
                assertThat(other.status()).isEqualTo(200);
                assertThat(other.text()).doesNotContain(f.openTask());
            }
        }
        assertThat(ListSnapshot.of(owner.client(), f.listId())).isEqualTo(before);
        assertThat(ListSnapshot.of(stranger.client(), strangersList)).isEqualTo(strangersBefore);
    }

    @Test
    void membersGet404ForMissingAndMalformedTaskIdsAndForATaskOfAnotherList() {
        Fixture f = sharedList();
        Fixture other = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), f.listId());
        JsonNode otherBefore = ListSnapshot.of(owner.client(), other.listId());
        for (TestUsers.User member : List.of(owner, editor, viewer)) {
            for (Call call : List.of(
                    new Call("GET", "/api/v1/lists/{list}/tasks/{task}", null),
                    new Call("PATCH", "/api/v1/lists/{list}/tasks/{task}", Map.of("title", "Changed")),
                    new Call("DELETE", "/api/v1/lists/{list}/tasks/{task}", null))) {
                assertProblem(call.send(member.client(), f.listId(), MISSING_ID), 404);
                for (String malformed : MALFORMED_IDS) {
                    assertProblem(call.send(member.client(), f.listId(), malformed), 404);
                }
                // A task of list "other" addressed under list f: not there.
                assertProblem(call.send(member.client(), f.listId(), other.openTask()), 404);
            }
        }
        assertThat(ListSnapshot.of(owner.client(), f.listId())).isEqualTo(before);
        assertThat(ListSnapshot.of(owner.client(), other.listId())).isEqualTo(otherBefore);
    }

    @Test
    void aViewerReadsTasksButCannotChangeThem() {
        Fixture f = sharedList();
        String viewersOwn = viewer.createList("Viewer's own");
        JsonNode before = ListSnapshot.of(owner.client(), f.listId());
        JsonNode viewersBefore = ListSnapshot.of(viewer.client(), viewersOwn);
        for (ApiClient client : List.of(viewer.client(), users.bearerClient(viewer))) {
            for (Call call : readCalls()) {
                ApiResponse read = call.send(client, f.listId(), f.openTask());
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
            }
            assertThat(client.get("/api/v1/tasks?view=today").text()).contains(f.openTask());
            for (Call call : writeCalls(viewersOwn)) {
                assertProblem(call.send(client, f.listId(), f.openTask()), 403);
                if (call.path().contains("{task}")) {
                    assertProblem(call.send(client, f.listId(), f.doneTask()), 403);
                }
            }
        }
        assertThat(ListSnapshot.of(owner.client(), f.listId())).isEqualTo(before);
        assertThat(ListSnapshot.of(viewer.client(), viewersOwn)).isEqualTo(viewersBefore);
    }

    @Test
    void anEditorChangesTasks() {
        Fixture f = sharedList();
        ApiClient client = editor.client();
        ApiResponse created = client.post("/api/v1/lists/" + f.listId() + "/tasks", Map.of("title", "By the editor"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ApiResponse patched = client.patch(taskPath(f.listId(), f.openTask()), Map.of("title", "Edited", "priority", "high"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(owner.client().get(taskPath(f.listId(), f.openTask())).get("title")).isEqualTo("Edited");

        ApiResponse completeAll = client.post("/api/v1/lists/" + f.listId() + "/tasks/complete-all", Map.of("completed", true));
        assertThat(completeAll.status()).as(completeAll.toString()).isEqualTo(200);
        assertThat(completeAll.json().get("updated").asLong()).isEqualTo(2);
        ApiResponse deleted = client.delete(taskPath(f.listId(), created.get("id")));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        ApiResponse cleared = client.delete("/api/v1/lists/" + f.listId() + "/tasks?status=completed");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("deleted").asLong()).isEqualTo(2);
        assertThat(owner.client().get("/api/v1/lists/" + f.listId()).json().get("totalCount").asInt()).isZero();
    }

    @Test
    void movingATaskIntoAListWhereTheCallerIsViewerIs403AndChangesNothing() {
        Fixture source = sharedList();
        // The editor of "source" is only a viewer of the target; the owner of "source" too.
        String target = stranger.createList("Target");
        stranger.share(target, editor, "viewer");
        stranger.share(target, owner, "viewer");
        JsonNode sourceBefore = ListSnapshot.of(owner.client(), source.listId());
        JsonNode targetBefore = ListSnapshot.of(stranger.client(), target);
        for (TestUsers.User mover : List.of(editor, owner)) {
            assertProblem(mover.client().patch(taskPath(source.listId(), source.openTask()), Map.of("listId", target)), 403);
            assertProblem(mover.client().patch(taskPath(source.listId(), source.openTask()),
                    Map.of("listId", target, "title", "Moved and renamed")), 403);
        }
        assertThat(ListSnapshot.of(owner.client(), source.listId())).isEqualTo(sourceBefore);
        assertThat(ListSnapshot.of(stranger.client(), target)).isEqualTo(targetBefore);
    }

    @Test
    void movingATaskIntoAListTheCallerCannotSeeIs404AndChangesNothing() {
        Fixture source = sharedList();
        String hidden = stranger.createList("Hidden");
        JsonNode sourceBefore = ListSnapshot.of(owner.client(), source.listId());
        JsonNode hiddenBefore = ListSnapshot.of(stranger.client(), hidden);
        for (TestUsers.User mover : List.of(editor, owner)) {
            for (String target : List.of(hidden, MISSING_ID, "not-a-list")) {
                assertProblem(mover.client().patch(taskPath(source.listId(), source.openTask()),
                        Map.of("listId", target, "title", "Moved")), 404);
            }
        }
        assertThat(ListSnapshot.of(owner.client(), source.listId())).isEqualTo(sourceBefore);
        assertThat(ListSnapshot.of(stranger.client(), hidden)).isEqualTo(hiddenBefore);
    }

    @Test
    void movingATaskIntoAnotherListTheCallerCanEditWorks() {
        Fixture source = sharedList();
        String target = stranger.createList("Editable target");
        stranger.share(target, editor, "editor");
        ApiResponse moved = editor.client().patch(taskPath(source.listId(), source.openTask()), Map.of("listId", target));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.get("listId")).isEqualTo(target);
        assertProblem(owner.client().get(taskPath(source.listId(), source.openTask())), 404);
        // The owner of the source list does not follow the task into a list it cannot see.
        assertProblem(owner.client().get(taskPath(target, source.openTask())), 404);
        assertThat(stranger.client().get(taskPath(target, source.openTask())).get("title")).isEqualTo("Open task");
    }
}
