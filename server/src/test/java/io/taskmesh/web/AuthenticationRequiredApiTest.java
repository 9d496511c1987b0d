package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.ListSnapshot;
import io.taskmesh.support.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint that needs a session or a token answers 401 problem+json without one (no
 * credentials, a garbage bearer token, the cookies of a session that was logged out), and such a
 * request changes nothing. Sign-up, log-in and token issue need no credentials.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationRequiredApiTest {

    @LocalServerPort
    int port;

    TestUsers users;
    TestUsers.User owner;
    String listId;
    String taskId;
    String tokenId;
    /** The session cookie of a session that has been logged out. */
    String endedSession;

    @BeforeAll
    void setUp() {
        users = new TestUsers(port);
        owner = users.signUp();
        listId = owner.createList("Private");
        taskId = owner.createTask(listId, "Secret task");
        ApiResponse done = owner.client().patch("/api/v1/lists/" + listId + "/tasks/" + owner.createTask(listId, "Done"),
                Map.of("completed", true));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        ApiResponse token = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", owner.email(), "password", TestUsers.PASSWORD, "name", "cli"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        tokenId = token.get("id");

        TestUsers.User leaving = users.signUp();
        endedSession = leaving.client().cookie("TASKMESH_SESSION");
        assertThat(endedSession).isNotNull();
        ApiResponse logout = leaving.client().post("/api/v1/auth/logout", null);
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);
    }

    /** One call of the API, with {list}, {task}, {user} and {token} standing for real ids. */
    record Call(String method, String path, Object body) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Call> protectedCalls() {
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("POST", "/api/v1/auth/logout", null));
        calls.add(new Call("GET", "/api/v1/me", null));
        calls.add(new Call("GET", "/api/v1/me/tokens", null));
        calls.add(new Call("DELETE", "/api/v1/me/tokens/{token}", null));
        calls.add(new Call("GET", "/api/v1/lists", null));
        calls.add(new Call("POST", "/api/v1/lists", Map.of("name", "Intruder's list")));
        calls.add(new Call("GET", "/api/v1/lists/{list}", null));
        calls.add(new Call("PATCH", "/api/v1/lists/{list}", Map.of("name", "Renamed")));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}", null));
        calls.add(new Call("GET", "/api/v1/lists/{list}/members", null));
        calls.add(new Call("POST", "/api/v1/lists/{list}/members", Map.of("email", "x@example.test", "role", "editor")));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}/members/{user}", null));
        calls.add(new Call("GET", "/api/v1/lists/{list}/tasks", null));
        calls.add(new Call("POST", "/api/v1/lists/{list}/tasks", Map.of("title", "Injected")));
        calls.add(new Call("GET", "/api/v1/lists/{list}/tasks/{task}", null));
        calls.add(new Call("PATCH", "/api/v1/lists/{list}/tasks/{task}", Map.of("title", "Changed", "completed", true)));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}/tasks/{task}", null));
        calls.add(new Call("POST", "/api/v1/lists/{list}/tasks/complete-all", Map.of("completed", true)));
        calls.add(new Call("DELETE", "/api/v1/lists/{list}/tasks?status=completed", null));
        for (String view : List.of("today", "week", "overdue", "all")) {
            calls.add(new Call("GET", "/api/v1/tasks?view=" + view, null));
        }
        return calls;
    }

    Stream<Arguments> protectedCallsWithoutValidCredentials() {
        return protectedCalls().stream().flatMap(call -> Stream.of(
                Arguments.of(call, "no credentials"),
                Arguments.of(call, "garbage bearer token"),
                Arguments.of(call, "logged-out session")));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("protectedCallsWithoutValidCredentials")
    void protectedEndpointAnswers401ProblemAndChangesNothing(Call call, String credentials) {
        boolean unsafe = !call.method().equals("GET");
        JsonNode before = unsafe ? ListSnapshot.of(owner.client(), listId) : null;
        List<String> tokensBefore = unsafe ? tokenIds() : null;

        ApiClient client = ApiClient.at(port);
        Map<String, String> headers = Map.of();
        if (credentials.equals("garbage bearer token")) {
            client.withBearer("tm_not-a-real-token");
        } else if (credentials.equals("logged-out session")) {
            // The cookies a browser would still hold after the session ended on the server
            // (with a matching XSRF pair, so that only the missing session can be the reason).
            client.get("/api/v1/me");
            headers = Map.of("Cookie", "TASKMESH_SESSION=" + endedSession);
        }
        String path = call.path().replace("{list}", listId).replace("{task}", taskId)
                .replace("{user}", owner.id()).replace("{token}", tokenId);
        ApiResponse response = client.send(call.method(), path, call.body(), headers);

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
        if (unsafe) {
            assertThat(ListSnapshot.of(owner.client(), listId)).isEqualTo(before);
            assertThat(tokenIds()).isEqualTo(tokensBefore);
        }
    }

    @Test
    void signUpLogInAndTokenIssueNeedNoCredentials() {
        ApiClient anonymous = ApiClient.at(port).sendCsrf(false);
        String email = "open-" + java.util.UUID.randomUUID() + "@example.test";
        ApiResponse signup = anonymous.post("/api/v1/auth/signup", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);

        ApiResponse login = ApiClient.at(port).sendCsrf(false).post("/api/v1/auth/login",
                Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.get("email")).isEqualTo(email);

        ApiResponse token = ApiClient.at(port).sendCsrf(false).post("/api/v1/auth/tokens",
                Map.of("email", email, "password", TestUsers.PASSWORD, "name", "script"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        ApiResponse me = ApiClient.at(port).withBearer(token.get("token")).get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.get("email")).isEqualTo(email);
    }

    private List<String> tokenIds() {
        ApiResponse tokens = owner.client().get("/api/v1/me/tokens");
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        tokens.json().forEach(t -> ids.add(t.get("id").asString()));
        return ids;
    }
}
