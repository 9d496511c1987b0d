package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.ListSnapshot;
import io.taskmesh.support.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Unsafe requests authenticated by the session cookie must echo the XSRF-TOKEN cookie in
 * X-XSRF-TOKEN; bearer-token requests and sign-up, log-in and token issue need no such header.
 */
@ApiTest
class CsrfApiTest {

    static final String HEADER = "X-XSRF-TOKEN";

    @LocalServerPort
    int port;

    TestUsers users;
    TestUsers.User user;
    String listId;
    String taskId;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
        user = users.signUp();
        listId = user.createList("Groceries");
        taskId = user.createTask(listId, "Milk");
        assertThat(user.client().csrfCookie()).isNotBlank();
    }

    private void assertCsrfRefusal(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("status").asInt()).isEqualTo(403);
    }

    @Test
    void unsafeCookieRequestsWithoutTheHeaderAreRefusedAndChangeNothing() {
        JsonNode before = ListSnapshot.of(user.client(), listId);
        ApiClient noHeader = user.client().sendCsrf(false);
        try {
            assertCsrfRefusal(noHeader.post("/api/v1/lists", Map.of("name", "Forged")));
            assertCsrfRefusal(noHeader.patch("/api/v1/lists/" + listId, Map.of("name", "Forged")));
            assertCsrfRefusal(noHeader.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "Forged")));
            assertCsrfRefusal(noHeader.patch("/api/v1/lists/" + listId + "/tasks/" + taskId,
                    Map.of("title", "Forged", "completed", true)));
            assertCsrfRefusal(noHeader.post("/api/v1/lists/" + listId + "/tasks/complete-all", Map.of("completed", true)));
            assertCsrfRefusal(noHeader.delete("/api/v1/lists/" + listId + "/tasks/" + taskId));
            assertCsrfRefusal(noHeader.delete("/api/v1/lists/" + listId));
            assertCsrfRefusal(noHeader.post("/api/v1/auth/logout", null));
            // Safe requests need no header.
            assertThat(noHeader.get("/api/v1/lists/" + listId).status()).isEqualTo(200);
        } finally {
            noHeader.sendCsrf(true);
        }
        assertThat(ListSnapshot.of(user.client(), listId)).isEqualTo(before);
        // The refused log-out did not end the session.
        assertThat(user.client().get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void unsafeCookieRequestsWithAWrongHeaderAreRefusedAndChangeNothing() {
        JsonNode before = ListSnapshot.of(user.client(), listId);
        ApiClient client = user.client();
        // Another user's perfectly valid token is just as wrong as a made-up one.
        String someoneElses = users.signUp().client().csrfCookie();
        assertThat(someoneElses).isNotBlank().isNotEqualTo(client.csrfCookie());
        for (String wrong : new String[] {"wrong", someoneElses, "", client.csrfCookie() + "x"}) {
            Map<String, String> header = Map.of(HEADER, wrong);
            assertCsrfRefusal(client.post("/api/v1/lists", Map.of("name", "Forged"), header));
            assertCsrfRefusal(client.patch("/api/v1/lists/" + listId + "/tasks/" + taskId, Map.of("title", "Forged"), header));
            assertCsrfRefusal(client.delete("/api/v1/lists/" + listId + "/tasks/" + taskId, header));
            assertCsrfRefusal(client.delete("/api/v1/lists/" + listId + "/tasks?status=completed", header));
        }
        assertThat(ListSnapshot.of(user.client(), listId)).isEqualTo(before);
    }

    @Test
    void theSameRequestsWithTheHeaderSucceed() {
        ApiClient client = user.client();
        ApiResponse created = client.post("/api/v1/lists", Map.of("name", "Real"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ApiResponse patched = client.patch("/api/v1/lists/" + listId + "/tasks/" + taskId, Map.of("title", "Oat milk"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.get("title")).isEqualTo("Oat milk");
        ApiResponse deleted = client.delete("/api/v1/lists/" + created.get("id"),
                Map.of(HEADER, client.csrfCookie()));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        ApiResponse logout = client.post("/api/v1/auth/logout", null);
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void bearerRequestsNeedNoCsrfHeaderEvenWithSessionCookies() {
        ApiClient bearer = users.bearerClient(user);
        ApiResponse created = bearer.post("/api/v1/lists", Map.of("name", "From a script"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ApiResponse patched = bearer.patch("/api/v1/lists/" + listId + "/tasks/" + taskId, Map.of("completed", true));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("completed").asBoolean()).isTrue();
        ApiResponse cleared = bearer.delete("/api/v1/lists/" + listId + "/tasks?status=completed");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("deleted").asLong()).isEqualTo(1);
    }

    @Test
    void signUpLogInAndTokenIssueAreExempt() {
        String email = "csrf-" + UUID.randomUUID() + "@example.test";
        // A client that already holds an XSRF-TOKEN cookie (and a session) but never sends the header.
        ApiClient client = ApiClient.at(port).sendCsrf(false);
        assertThat(client.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(client.csrfCookie()).isNotBlank();
        ApiResponse signup = client.post("/api/v1/auth/signup", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        ApiResponse login = client.post("/api/v1/auth/login", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        ApiResponse token = client.post("/api/v1/auth/tokens",
                Map.of("email", email, "password", TestUsers.PASSWORD, "name", "t"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
    }

    @Test
    void aPlainGetSetsTheXsrfCookieWhenTheClientHasNone() {
        ApiClient anonymous = ApiClient.at(port);
        ApiResponse me = anonymous.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(401);
        assertReadableXsrfCookie(me);

        ApiClient client = user.client();
        client.forgetCookie("XSRF-TOKEN");
        ApiResponse lists = client.get("/api/v1/lists");
        assertThat(lists.status()).as(lists.toString()).isEqualTo(200);
        assertReadableXsrfCookie(lists);
        assertThat(client.csrfCookie()).isNotBlank();
        // ... and the new cookie works for the next unsafe request.
        assertThat(client.post("/api/v1/lists", Map.of("name", "After refresh")).status()).isEqualTo(201);
    }

    private static void assertReadableXsrfCookie(ApiResponse response) {
        String setCookie = response.setCookie("XSRF-TOKEN");
        assertThat(setCookie).as("Set-Cookie XSRF-TOKEN on " + response).isNotNull();
        assertThat(setCookie).doesNotStartWith("XSRF-TOKEN=;");
        // The web UI reads it from JavaScript, so it must not be HttpOnly.
        assertThat(setCookie.toLowerCase()).doesNotContain("httponly").contains("path=/");
    }
}
