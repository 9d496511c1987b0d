package io.taskmesh.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
class ListApiTest {

    static final List<String> LIST_FIELDS = List.of("id", "name", "role", "openCount", "totalCount", "version",
            "createdAt", "updatedAt");

    @LocalServerPort
    int port;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    static void assertListShape(JsonNode list) {
        assertThat(new ArrayList<>(list.propertyNames())).as(list.toString())
                .containsExactlyInAnyOrderElementsOf(LIST_FIELDS);
        assertThat(list.get("id").asString()).matches("[0-9a-f]{24}");
        Instant created = Instant.parse(list.get("createdAt").asString());
        Instant updated = Instant.parse(list.get("updatedAt").asString());
        assertThat(updated).isAfterOrEqualTo(created);
        assertThat(created).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(5));
    }

    @Test
    void creatingAListAnswers201WithLocationEtagAndTheListAsOwner() {
        User alice = users.signUp();
        ApiResponse created = alice.client().post("/api/v1/lists", Map.of("name", "  Groceries  "));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode list = created.json();
        assertListShape(list);
        assertThat(list.get("name").asString()).isEqualTo("Groceries");
        assertThat(list.get("role").asString()).isEqualTo("owner");
        assertThat(list.get("openCount").asLong()).isZero();
        assertThat(list.get("totalCount").asLong()).isZero();
        assertThat(list.get("version").asLong()).isEqualTo(1);
        assertThat(created.header("Location")).endsWith("/api/v1/lists/" + list.get("id").asString());
        assertThat(created.header("ETag")).isEqualTo("\"1\"");

        ApiResponse fetched = alice.client().get("/api/v1/lists/" + list.get("id").asString());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(list);
        assertThat(fetched.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void listsShowsOwnedAndSharedListsWithTheCallersRoleAndTaskCounts() {
        User alice = users.signUp();
        User bob = users.signUp();
        String mine = alice.createList("Mine");
        String shared = bob.createList("Bob's");
        bob.share(shared, alice, "viewer");
        bob.createList("Bob's private");
        alice.createTask(mine, "one");
        String done = alice.createTask(mine, "two");
        alice.createTask(mine, "three");
        assertThat(alice.client().patch("/api/v1/lists/" + mine + "/tasks/" + done, Map.of("completed", true))
                .status()).isEqualTo(200);

        ApiResponse all = alice.client().get("/api/v1/lists");
        assertThat(all.status()).isEqualTo(200);
        JsonNode lists = all.json();
        assertThat(lists.isArray()).isTrue();
        assertThat(lists.size()).as(lists.toString()).isEqualTo(2);
        JsonNode first = lists.get(0);
        JsonNode second = lists.get(1);
        assertListShape(first);
        assertListShape(second);
        assertThat(first.get("id").asString()).isEqualTo(mine);
        assertThat(first.get("role").asString()).isEqualTo("owner");
        assertThat(first.get("openCount").asLong()).isEqualTo(2);
        assertThat(first.get("totalCount").asLong()).isEqualTo(3);
        assertThat(second.get("id").asString()).isEqualTo(shared);
        assertThat(second.get("role").asString()).isEqualTo("viewer");
        assertThat(second.get("name").asString()).isEqualTo("Bob's");

        ApiResponse one = alice.client().get("/api/v1/lists/" + mine);
        assertThat(one.json().get("openCount").asLong()).isEqualTo(2);
        assertThat(one.json().get("totalCount").asLong()).isEqualTo(3);
    }

    @Test
    void renamingAListTrimsTheNameAndIncrementsTheVersionAndEtag() {
        User alice = users.signUp();
        String id = alice.createList("Old");
        ApiResponse renamed = alice.client().patch("/api/v1/lists/" + id, Map.of("name", " New name "));

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertListShape(renamed.json());
        assertThat(renamed.get("name")).isEqualTo("New name");
        assertThat(renamed.json().get("version").asLong()).isEqualTo(2);
        assertThat(renamed.header("ETag")).isEqualTo("\"2\"");
        assertThat(Instant.parse(renamed.get("updatedAt"))).isAfter(Instant.parse(renamed.get("createdAt")));
        ApiResponse fetched = alice.client().get("/api/v1/lists/" + id);
        assertThat(fetched.get("name")).isEqualTo("New name");
        assertThat(fetched.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void deletingAListRemovesItAndItsTasks() {
        User alice = users.signUp();
        User bob = users.signUp();
        String doomed = alice.createList("Doomed");
        String kept = alice.createList("Kept");
        alice.share(doomed, bob, "editor");
        String task = alice.createTask(doomed, "goes away");
        String survivor = alice.createTask(kept, "stays");

        ApiResponse deleted = alice.client().delete("/api/v1/lists/" + doomed);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();

        assertThat(alice.client().get("/api/v1/lists/" + doomed).status()).isEqualTo(404);
        assertThat(alice.client().get("/api/v1/lists/" + doomed + "/tasks/" + task).status()).isEqualTo(404);
        assertThat(bob.client().get("/api/v1/lists").json().size()).isZero();
        JsonNode lists = alice.client().get("/api/v1/lists").json();
        assertThat(lists.size()).isEqualTo(1);
        assertThat(lists.get(0).get("id").asString()).isEqualTo(kept);
        JsonNode everything = alice.client().get("/api/v1/tasks?view=all").json().get("items");
        assertThat(everything.size()).isEqualTo(1);
        assertThat(everything.get(0).get("id").asString()).isEqualTo(survivor);
        // A second delete finds nothing.
        assertThat(alice.client().delete("/api/v1/lists/" + doomed).status()).isEqualTo(404);
    }

    @Test
    void sharingAddsAMemberWhoSeesTheListWithTheGivenRole() {
        User alice = users.signUp();
        User bob = users.signUp();
        String id = alice.createList("Shared");

        ApiResponse added = alice.client().post("/api/v1/lists/" + id + "/members",
                Map.of("email", bob.email(), "role", "editor"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(new ArrayList<>(added.json().propertyNames()))
                .containsExactlyInAnyOrder("userId", "email", "displayName", "role");
        assertThat(added.get("userId")).isEqualTo(bob.id());
        assertThat(added.get("email")).isEqualTo(bob.email());
        assertThat(added.get("role")).isEqualTo("editor");

        ApiResponse members = bob.client().get("/api/v1/lists/" + id + "/members");
        assertThat(members.status()).isEqualTo(200);
        JsonNode array = members.json();
        assertThat(array.size()).isEqualTo(2);
        assertThat(array.get(0).get("userId").asString()).isEqualTo(alice.id());
        assertThat(array.get(0).get("email").asString()).isEqualTo(alice.email());
        assertThat(array.get(0).get("role").asString()).isEqualTo("owner");
        assertThat(array.get(1).get("userId").asString()).isEqualTo(bob.id());
        assertThat(array.get(1).get("role").asString()).isEqualTo("editor");

        ApiResponse bobsView = bob.client().get("/api/v1/lists/" + id);
        assertThat(bobsView.status()).isEqualTo(200);
        assertThat(bobsView.get("role")).isEqualTo("editor");
        // As an editor Bob can add tasks.
        bob.createTask(id, "from bob");
        assertThat(alice.client().get("/api/v1/lists/" + id).json().get("totalCount").asLong()).isEqualTo(1);
    }

    @Test
    void sharingAgainChangesTheRoleAndAnswers200() {
        User alice = users.signUp();
        User bob = users.signUp();
        String id = alice.createList("Shared");
        alice.share(id, bob, "editor");

        ApiResponse changed = alice.client().post("/api/v1/lists/" + id + "/members",
                Map.of("email", bob.email(), "role", "viewer"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.get("role")).isEqualTo("viewer");
        assertThat(bob.client().get("/api/v1/lists/" + id).get("role")).isEqualTo("viewer");
        assertThat(alice.client().get("/api/v1/lists/" + id + "/members").json().size()).isEqualTo(2);
        ApiResponse refused = bob.client().post("/api/v1/lists/" + id + "/tasks", Map.of("title", "no"));
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theOwnerRemovesAMemberWhoThenNoLongerSeesTheList() {
        User alice = users.signUp();
        User bob = users.signUp();
        String id = alice.createList("Shared");
        alice.share(id, bob, "viewer");

        ApiResponse removed = alice.client().delete("/api/v1/lists/" + id + "/members/" + bob.id());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertThat(bob.client().get("/api/v1/lists/" + id).status()).isEqualTo(404);
        assertThat(bob.client().get("/api/v1/lists").json().size()).isZero();
        JsonNode members = alice.client().get("/api/v1/lists/" + id + "/members").json();
        assertThat(members.size()).isEqualTo(1);
        assertThat(members.get(0).get("userId").asString()).isEqualTo(alice.id());
    }

    @Test
    void aMemberCanLeaveAList() {
        User alice = users.signUp();
        User bob = users.signUp();
        String id = alice.createList("Shared");
        alice.share(id, bob, "editor");

        ApiResponse left = bob.client().delete("/api/v1/lists/" + id + "/members/" + bob.id());
        assertThat(left.status()).as(left.toString()).isEqualTo(204);
        assertThat(bob.client().get("/api/v1/lists/" + id).status()).isEqualTo(404);
        assertThat(alice.client().get("/api/v1/lists/" + id + "/members").json().size()).isEqualTo(1);
    }

    @Test
    void bearerClientsUseTheSameListsAsTheirSession() {
        User alice = users.signUp();
        String id = alice.createList("Via cookie");
        ApiClient bearer = users.bearerClient(alice);
        ApiResponse lists = bearer.get("/api/v1/lists");
        assertThat(lists.status()).isEqualTo(200);
        assertThat(lists.json().get(0).get("id").asString()).isEqualTo(id);
        ApiResponse created = bearer.post("/api/v1/lists", Map.of("name", "Via token"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(alice.client().get("/api/v1/lists").json().size()).isEqualTo(2);
    }
}
