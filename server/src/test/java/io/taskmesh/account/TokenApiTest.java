package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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

/** Log-in, log-out and personal access tokens. */
@ApiTest
class TokenApiTest {

    @LocalServerPort
    int port;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    @Test
    void logInStartsASessionAndLogOutEndsIt() {
        User alice = users.signUp();
        ApiClient browser = ApiClient.at(port);
        ApiResponse login = browser.post("/api/v1/auth/login",
                Map.of("email", alice.email(), "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.get("id")).isEqualTo(alice.id());
        assertThat(login.get("email")).isEqualTo(alice.email());
        assertThat(browser.get("/api/v1/me").get("id")).isEqualTo(alice.id());

        ApiResponse logout = browser.post("/api/v1/auth/logout", null);
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
        // The other session of the same user is untouched.
        assertThat(alice.client().get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aTokenIsIssuedOnceListedWithoutItsSecretAndRevocable() {
        User alice = users.signUp();
        ApiResponse issued = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", alice.email(), "password", TestUsers.PASSWORD, "name", " laptop script "));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.json().propertyNames()).contains("id", "name", "token");
        assertThat(issued.get("name")).isEqualTo("laptop script");
        String secret = issued.get("token");
        assertThat(secret).hasSizeGreaterThan(30);

        ApiClient program = ApiClient.at(port).withBearer(secret);
        assertThat(program.get("/api/v1/me").get("id")).isEqualTo(alice.id());

        ApiResponse listed = alice.client().get("/api/v1/me/tokens");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().size()).isEqualTo(1);
        JsonNode token = listed.json().get(0);
        assertThat(token.get("id").asString()).isEqualTo(issued.get("id"));
        assertThat(token.get("name").asString()).isEqualTo("laptop script");
        assertThat(new ArrayList<>(token.propertyNames())).doesNotContain("token", "hash", "secret");
        assertThat(listed.text()).doesNotContain(secret);
        if (issued.json().has("createdAt")) {
            assertThat(token.get("createdAt")).isEqualTo(issued.json().get("createdAt"));
        }

        ApiResponse revoked = program.delete("/api/v1/me/tokens/" + issued.get("id"));
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(program.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(alice.client().get("/api/v1/me/tokens").json().size()).isZero();
        assertThat(alice.client().delete("/api/v1/me/tokens/" + issued.get("id")).status()).isEqualTo(404);
    }

    @Test
    void aUserCannotSeeOrRevokeAnotherUsersToken() {
        User alice = users.signUp();
        User bob = users.signUp();
        ApiClient alicesProgram = users.bearerClient(alice);
        String tokenId = alice.client().get("/api/v1/me/tokens").json().get(0).get("id").asString();

        assertThat(bob.client().get("/api/v1/me/tokens").json().size()).isZero();
        assertThat(bob.client().delete("/api/v1/me/tokens/" + tokenId).status()).isEqualTo(404);
        assertThat(alicesProgram.get("/api/v1/me").status()).isEqualTo(200);
    }
}
