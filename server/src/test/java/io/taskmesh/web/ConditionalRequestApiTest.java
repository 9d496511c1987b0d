package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;

@ApiTest
class ConditionalRequestApiTest {

    @LocalServerPort
    int port;

    User alice;
    String list;
    String listPath;

    @BeforeEach
    void setUp() {
        alice = new TestUsers(port).signUp();
        list = alice.createList("Conditional");
        listPath = "/api/v1/lists/" + list;
    }

    private static Map<String, String> ifMatch(String etag) {
        return Map.of("If-Match", etag);
    }

    private static Map<String, String> ifNoneMatch(String etag) {
        return Map.of("If-None-Match", etag);
    }

    private static void assert412(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(412);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("status").asInt()).isEqualTo(412);
    }

    @Test
    void aListAnswers304ToIfNoneMatchWithItsCurrentEtag() {
        ApiResponse fetched = alice.client().get(listPath);
        assertThat(fetched.header("ETag")).isEqualTo("\"1\"");

        ApiResponse notModified = alice.client().get(listPath, ifNoneMatch("\"1\""));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo("\"1\"");

        alice.client().patch(listPath, Map.of("name", "Renamed"));
        ApiResponse changed = alice.client().get(listPath, ifNoneMatch("\"1\""));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.get("name")).isEqualTo("Renamed");
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
        assertThat(alice.client().get(listPath, ifNoneMatch("\"2\"")).status()).isEqualTo(304);
    }

    @Test
    void aTaskAnswers304ToIfNoneMatchWithItsCurrentEtag() {
        String task = listPath + "/tasks/" + alice.createTask(list, "t");
        assertThat(alice.client().get(task).header("ETag")).isEqualTo("\"1\"");
        ApiResponse notModified = alice.client().get(task, ifNoneMatch("\"1\""));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();

        alice.client().patch(task, Map.of("completed", true));
        ApiResponse changed = alice.client().get(task, ifNoneMatch("\"1\""));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
        assertThat(alice.client().get(task, ifNoneMatch("\"2\"")).status()).isEqualTo(304);
    }

    @Test
    void renamingAListWithAStaleIfMatchIs412AndChangesNothing() {
        alice.client().patch(listPath, Map.of("name", "Second"));

        ApiResponse stale = alice.client().patch(listPath, Map.of("name", "Lost update"), ifMatch("\"1\""));
        assert412(stale);
        ApiResponse current = alice.client().get(listPath);
        assertThat(current.get("name")).isEqualTo("Second");
        assertThat(current.header("ETag")).isEqualTo("\"2\"");

        ApiResponse fresh = alice.client().patch(listPath, Map.of("name", "Third"), ifMatch("\"2\""));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(200);
        assertThat(fresh.get("name")).isEqualTo("Third");
        assertThat(fresh.header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void deletingAListWithAStaleIfMatchIs412AndKeepsTheListAndItsTasks() {
        String task = alice.createTask(list, "keep me");
        alice.client().patch(listPath, Map.of("name", "Changed"));

        assert412(alice.client().delete(listPath, ifMatch("\"1\"")));
        assertThat(alice.client().get(listPath).status()).isEqualTo(200);
        assertThat(alice.client().get(listPath + "/tasks/" + task).status()).isEqualTo(200);

        ApiResponse deleted = alice.client().delete(listPath, ifMatch("\"2\""));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(alice.client().get(listPath).status()).isEqualTo(404);
    }

    @Test
    void patchingATaskWithAStaleIfMatchIs412AndChangesNothing() {
        String task = listPath + "/tasks/" + alice.createTask(list, "original");
        alice.client().patch(task, Map.of("notes", "by someone else"));

        assert412(alice.client().patch(task, Map.of("title", "lost", "completed", true), ifMatch("\"1\"")));
        ApiResponse current = alice.client().get(task);
        assertThat(current.get("title")).isEqualTo("original");
        assertThat(current.json().get("completed").asBoolean()).isFalse();
        assertThat(current.json().get("version").asLong()).isEqualTo(2);

        ApiResponse fresh = alice.client().patch(task, Map.of("title", "kept"), ifMatch("\"2\""));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(200);
        assertThat(fresh.get("title")).isEqualTo("kept");
        assertThat(fresh.header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void movingATaskWithAStaleIfMatchIs412AndLeavesItWhereItWas() {
        String target = alice.createList("Target");
        String id = alice.createTask(list, "stay");
        String task = listPath + "/tasks/" + id;
        alice.client().patch(task, Map.of("priority", "high"));

        assert412(alice.client().patch(task, Map.of("listId", target), ifMatch("\"1\"")));
        assertThat(alice.client().get(task).status()).isEqualTo(200);
        assertThat(alice.client().get("/api/v1/lists/" + target + "/tasks/" + id).status()).isEqualTo(404);
    }

    @Test
    void deletingATaskWithAStaleIfMatchIs412AndKeepsIt() {
        String task = listPath + "/tasks/" + alice.createTask(list, "keep");
        alice.client().patch(task, Map.of("title", "kept"));

        assert412(alice.client().delete(task, ifMatch("\"1\"")));
        assertThat(alice.client().get(task).get("title")).isEqualTo("kept");

        assertThat(alice.client().delete(task, ifMatch("\"2\"")).status()).isEqualTo(204);
        assertThat(alice.client().get(task).status()).isEqualTo(404);
    }

    @Test
    void anIfMatchThatNamesNoVersionOfOursMatchesNothing() {
        String task = listPath + "/tasks/" + alice.createTask(list, "t");
        assert412(alice.client().patch(task, Map.of("title", "x"), ifMatch("\"abc\"")));
        assert412(alice.client().patch(listPath, Map.of("name", "x"), ifMatch("W/\"1\"")));
        assertThat(alice.client().get(task).get("title")).isEqualTo("t");
        assertThat(alice.client().get(listPath).get("name")).isEqualTo("Conditional");
        ApiResponse star = alice.client().patch(task, Map.of("title", "star"), ifMatch("*"));
        assertThat(star.status()).isEqualTo(200);
    }
}
