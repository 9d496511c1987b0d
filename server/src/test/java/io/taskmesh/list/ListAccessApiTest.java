package io.taskmesh.list;

import static io.taskmesh.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
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
 * Who may do what to a list and its members: a stranger cannot tell the list exists (404), a
 * viewer and an editor can read it but only the owner renames, deletes or shares it (403), and
 * members may leave but not remove others.
 */
class ListAccessApiTest extends FourRolesApiTest {

    static final List<String> MALFORMED_IDS = List.of("not-an-id", "0123456789ABCDEF01234567", "123", "%24ne",
            "0123456789abcdef012345678");

    /** A new list of the owner's with two tasks (one completed), shared with the editor and the viewer. */
    String sharedList() {
        String listId = owner.createList("Shared " + System.nanoTime());
        owner.createTask(listId, "Open task");
        String done = owner.createTask(listId, "Done task");
        assertThat(owner.client().patch("/api/v1/lists/" + listId + "/tasks/" + done, Map.of("completed", true)).status())
                .isEqualTo(200);
        shareWithEditorAndViewer(listId);
        return listId;
    }

    /** Every list and member call, with {list} and {user} standing for ids. */
    static List<String[]> listCalls() {
        List<String[]> calls = new ArrayList<>();
        calls.add(new String[] {"GET", "/api/v1/lists/{list}"});
        calls.add(new String[] {"PATCH", "/api/v1/lists/{list}"});
        calls.add(new String[] {"DELETE", "/api/v1/lists/{list}"});
        calls.add(new String[] {"GET", "/api/v1/lists/{list}/members"});
        calls.add(new String[] {"POST", "/api/v1/lists/{list}/members"});
        calls.add(new String[] {"DELETE", "/api/v1/lists/{list}/members/{user}"});
        return calls;
    }

    private ApiResponse call(ApiClient client, String[] call, String listId, String userId, TestUsers.User subject) {
        String path = call[1].replace("{list}", listId).replace("{user}", userId);
        Object body = null;
        if (call[0].equals("PATCH")) {
            body = Map.of("name", "Taken over");
        } else if (call[0].equals("POST")) {
            body = Map.of("email", subject.email(), "role", "editor");
        }
        return client.send(call[0], path, body, Map.of());
    }

    @Test
    void aStrangerGets404ForEveryListCallAndChangesNothing() {
        String listId = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), listId);
        for (ApiClient client : List.of(stranger.client(), users.bearerClient(stranger))) {
            for (String[] call : listCalls()) {
                // Removing the owner, removing a member, "leaving" itself; the others ignore the user.
                List<String> userIds = call[1].contains("{user}")
                        ? List.of(owner.id(), viewer.id(), stranger.id()) : List.of(owner.id());
                for (String userId : userIds) {
                    ApiResponse real = call(client, call, listId, userId, stranger);
                    assertProblem(real, 404);
                    ApiResponse missing = call(client, call, MISSING_ID, userId, stranger);
                    assertProblem(missing, 404);
                    // The answer does not tell an existing list from a missing one.
                    assertThat(real.get("title")).isEqualTo(missing.get("title"));
                    assertThat(real.get("detail").replace(listId, "ID"))
                            .isEqualTo(missing.get("detail").replace(MISSING_ID, "ID"));
                    for (String malformed : MALFORMED_IDS) {
                        assertProblem(call(client, call, malformed, userId, stranger), 404);
                    }
                }
            }
            ApiResponse index = client.get("/api/v1/lists");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.text()).doesNotContain(listId);
        }
        assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
        assertThat(ListSnapshot.of(viewer.client(), listId).get("list").get("role").asString()).isEqualTo("viewer");
    }

    @Test
    void theOwnerGets404ForMissingAndMalformedIds() {
        for (String[] call : listCalls()) {
            assertProblem(call(owner.client(), call, MISSING_ID, editor.id(), stranger), 404);
            for (String malformed : MALFORMED_IDS) {
                assertProblem(call(owner.client(), call, malformed, editor.id(), stranger), 404);
            }
        }
        String listId = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), listId);
        for (String userId : List.of(MISSING_ID, stranger.id(), "not-a-user")) {
            assertProblem(owner.client().delete("/api/v1/lists/" + listId + "/members/" + userId), 404);
        }
        assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
    }

    @Test
    void viewerAndEditorCanReadTheListTasksAndMembers() {
        String listId = sharedList();
        for (TestUsers.User member : List.of(viewer, editor)) {
            JsonNode seen = ListSnapshot.of(member.client(), listId);
            String role = member == viewer ? "viewer" : "editor";
            assertThat(seen.get("list").get("role").asString()).isEqualTo(role);
            assertThat(seen.get("list").get("totalCount").asInt()).isEqualTo(2);
            assertThat(seen.get("tasks").get("items").size()).isEqualTo(2);
            assertThat(seen.get("members").size()).isEqualTo(3);
            assertThat(seen.get("lists").toString()).contains(listId);
            assertThat(seen.get("view").toString()).contains(listId);
        }
        JsonNode members = owner.client().get("/api/v1/lists/" + listId + "/members").json();
        Map<String, String> roles = new HashMap<>();
        members.forEach(m -> roles.put(m.get("userId").asString(), m.get("role").asString()));
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(
                Map.of(owner.id(), "owner", editor.id(), "editor", viewer.id(), "viewer"));
    }

    @Test
    void viewerAndEditorCannotRenameDeleteOrShareTheList() {
        String listId = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), listId);
        for (TestUsers.User member : List.of(viewer, editor)) {
            TestUsers.User otherMember = member == viewer ? editor : viewer;
            for (ApiClient client : List.of(member.client(), users.bearerClient(member))) {
                assertProblem(client.patch("/api/v1/lists/" + listId, Map.of("name", "Mine now")), 403);
                assertProblem(client.delete("/api/v1/lists/" + listId), 403);
                // Sharing with a stranger, promoting itself, demoting the other member, taking ownership.
                for (Map<String, String> share : List.of(
                        Map.of("email", stranger.email(), "role", "editor"),
                        Map.of("email", member.email(), "role", "editor"),
                        Map.of("email", otherMember.email(), "role", "viewer"),
                        Map.of("email", member.email(), "role", "owner"))) {
                    assertProblem(client.post("/api/v1/lists/" + listId + "/members", share), 403);
                }
            }
        }
        assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
        assertProblem(stranger.client().get("/api/v1/lists/" + listId), 404);
    }

    @Test
    void theOwnerCanRenameShareAndDelete() {
        String listId = sharedList();
        ApiResponse renamed = owner.client().patch("/api/v1/lists/" + listId, Map.of("name", "Renamed"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(viewer.client().get("/api/v1/lists/" + listId).get("name")).isEqualTo("Renamed");

        owner.share(listId, stranger, "viewer");
        assertThat(stranger.client().get("/api/v1/lists/" + listId).status()).isEqualTo(200);

        ApiResponse deleted = owner.client().delete("/api/v1/lists/" + listId);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        for (TestUsers.User someone : List.of(owner, editor, viewer, stranger)) {
            assertProblem(someone.client().get("/api/v1/lists/" + listId), 404);
            assertProblem(someone.client().get("/api/v1/lists/" + listId + "/tasks"), 404);
        }
    }

    @Test
    void theOwnerRemovesAMemberWhoThenCannotSeeTheList() {
        String listId = sharedList();
        ApiResponse removed = owner.client().delete("/api/v1/lists/" + listId + "/members/" + viewer.id());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

        assertProblem(viewer.client().get("/api/v1/lists/" + listId), 404);
        assertProblem(viewer.client().get("/api/v1/lists/" + listId + "/tasks"), 404);
        assertThat(viewer.client().get("/api/v1/lists").text()).doesNotContain(listId);
        assertThat(viewer.client().get("/api/v1/tasks?view=all").text()).doesNotContain(listId);
        assertThat(owner.client().get("/api/v1/lists/" + listId + "/members").text())
                .doesNotContain(viewer.id()).contains(editor.id());
        // Removed twice: no longer a member.
        assertProblem(owner.client().delete("/api/v1/lists/" + listId + "/members/" + viewer.id()), 404);
    }

    @Test
    void aMemberMayLeaveAndThenCannotSeeTheList() {
        for (TestUsers.User member : List.of(viewer, editor)) {
            String listId = sharedList();
            ApiResponse left = member.client().delete("/api/v1/lists/" + listId + "/members/" + member.id());
            assertThat(left.status()).as(left.toString()).isEqualTo(204);

            assertProblem(member.client().get("/api/v1/lists/" + listId), 404);
            assertProblem(member.client().get("/api/v1/lists/" + listId + "/members"), 404);
            assertProblem(member.client().delete("/api/v1/lists/" + listId + "/members/" + member.id()), 404);
            assertThat(member.client().get("/api/v1/lists").text()).doesNotContain(listId);
            assertThat(member.client().get("/api/v1/tasks?view=all").text()).doesNotContain(listId);
            JsonNode members = owner.client().get("/api/v1/lists/" + listId + "/members").json();
            assertThat(members.size()).isEqualTo(2);
            assertThat(members.toString()).doesNotContain(member.id());
        }
    }

    @Test
    void aMemberCannotRemoveAnybodyElse() {
        String listId = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), listId);
        assertProblem(editor.client().delete("/api/v1/lists/" + listId + "/members/" + viewer.id()), 403);
        assertProblem(editor.client().delete("/api/v1/lists/" + listId + "/members/" + owner.id()), 403);
        assertProblem(viewer.client().delete("/api/v1/lists/" + listId + "/members/" + editor.id()), 403);
        assertProblem(viewer.client().delete("/api/v1/lists/" + listId + "/members/" + owner.id()), 403);
        assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
    }

    @Test
    void theOwnerCannotLeave() {
        String listId = sharedList();
        JsonNode before = ListSnapshot.of(owner.client(), listId);
        assertProblem(owner.client().delete("/api/v1/lists/" + listId + "/members/" + owner.id()), 409);
        // Nor be demoted by sharing the list with itself.
        assertProblem(owner.client().post("/api/v1/lists/" + listId + "/members",
                Map.of("email", owner.email(), "role", "viewer")), 409);
        assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
        assertThat(before.get("list").get("role").asString()).isEqualTo("owner");
    }

    @Test
    void anIdempotencyKeyReplaysOnlyToTheCallerThatUsedIt() {
        String key = "shared-key-" + System.nanoTime();
        Map<String, String> header = Map.of("Idempotency-Key", key);
        ApiResponse mine = owner.client().post("/api/v1/lists", Map.of("name", "Same body"), header);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(201);

        ApiResponse theirs = stranger.client().post("/api/v1/lists", Map.of("name", "Same body"), header);
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);
        assertThat(theirs.header("Idempotent-Replayed")).isNull();
        assertThat(theirs.get("id")).isNotEqualTo(mine.get("id"));
        assertThat(theirs.get("role")).isEqualTo("owner");
        assertProblem(stranger.client().get("/api/v1/lists/" + mine.get("id")), 404);

        ApiResponse repeated = owner.client().post("/api/v1/lists", Map.of("name", "Same body"), header);
        assertThat(repeated.status()).isEqualTo(201);
        assertThat(repeated.get("id")).isEqualTo(mine.get("id"));
    }
}
