package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import tools.jackson.databind.JsonNode;

/** Personal access tokens: shown once, listed without the secret, revocable only by their owner. */
@ApiTest
class TokenApiTest {

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    TestUsers users;
    TestUsers.User user;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
        user = users.signUp();
    }

    private ApiResponse issue(TestUsers.User owner, String name) {
        ApiResponse issued = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", owner.email(), "password", TestUsers.PASSWORD, "name", name));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return issued;
    }

    @Test
    void theSecretIsShownOnceAndNeverListed() {
        ApiResponse issued = issue(user, "laptop");
        String secret = issued.get("token");
        assertThat(secret).isNotBlank();
        assertThat(issued.get("id")).isNotBlank();
        assertThat(issued.get("name")).isEqualTo("laptop");

        ApiClient bearer = ApiClient.at(port).withBearer(secret);
        ApiResponse me = bearer.get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.get("id")).isEqualTo(user.id());

        for (ApiClient client : new ApiClient[] {user.client(), bearer}) {
            ApiResponse listed = client.get("/api/v1/me/tokens");
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.text()).doesNotContain(secret).doesNotContain("\"token\"");
            JsonNode tokens = listed.json();
            assertThat(tokens.size()).isEqualTo(1);
            assertThat(tokens.get(0).get("id").asString()).isEqualTo(issued.get("id"));
            assertThat(tokens.get(0).get("name").asString()).isEqualTo("laptop");
        }
        // Nor is it stored: only a hash of it.
        Document stored = mongo.findOne(Query.query(Criteria.where("_id").is(issued.get("id"))), Document.class, "tokens");
        assertThat(stored).isNotNull();
        assertThat(stored.toJson()).doesNotContain(secret)
                .doesNotContain(secret.substring(TokenHashes.PREFIX.length()));
    }

    @Test
    void aRevokedTokenIsRefusedOnTheNextCall() {
        ApiClient bearer = ApiClient.at(port).withBearer(issue(user, "ci").get("token"));
        ApiResponse keep = issue(user, "keep");
        ApiClient kept = ApiClient.at(port).withBearer(keep.get("token"));
        String id = user.client().get("/api/v1/me/tokens").json().get(0).get("id").asString();
        assertThat(bearer.get("/api/v1/me").status()).isEqualTo(200);

        ApiResponse revoked = user.client().delete("/api/v1/me/tokens/" + id);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);

        ApiResponse after = bearer.get("/api/v1/me");
        assertThat(after.status()).as(after.toString()).isEqualTo(401);
        assertThat(after.isProblem()).isTrue();
        assertThat(bearer.post("/api/v1/lists", Map.of("name", "x")).status()).isEqualTo(401);
        // Revoking twice: the token is gone.
        assertThat(user.client().delete("/api/v1/me/tokens/" + id).status()).isEqualTo(404);
        // The user's other token is untouched.
        assertThat(kept.get("/api/v1/me").status()).isEqualTo(200);
        JsonNode listed = user.client().get("/api/v1/me/tokens").json();
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(keep.get("id"));
    }

    @Test
    void aTokenCanRevokeItself() {
        ApiResponse issued = issue(user, "self");
        ApiClient bearer = ApiClient.at(port).withBearer(issued.get("token"));
        ApiResponse revoked = bearer.delete("/api/v1/me/tokens/" + issued.get("id"));
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(bearer.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void anotherUserCannotSeeOrRevokeMyToken() {
        ApiResponse mine = issue(user, "mine");
        ApiClient bearer = ApiClient.at(port).withBearer(mine.get("token"));
        TestUsers.User other = users.signUp();
        ApiClient otherBearer = users.bearerClient(other);

        for (ApiClient intruder : new ApiClient[] {other.client(), otherBearer}) {
            ApiResponse listed = intruder.get("/api/v1/me/tokens");
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.text()).doesNotContain(mine.get("id"));
            ApiResponse revoke = intruder.delete("/api/v1/me/tokens/" + mine.get("id"));
            assertThat(revoke.status()).as(revoke.toString()).isEqualTo(404);
            assertThat(revoke.isProblem()).isTrue();
        }
        for (String id : new String[] {"0123456789abcdef01234567", "not-a-token-id", "%24where"}) {
            ApiResponse revoke = user.client().delete("/api/v1/me/tokens/" + id);
            assertThat(revoke.status()).as(revoke.toString()).isEqualTo(404);
            assertThat(revoke.isProblem()).isTrue();
        }
        ApiResponse me = bearer.get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.get("id")).isEqualTo(user.id());
        assertThat(user.client().get("/api/v1/me/tokens").json().size()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIssuesNoToken() {
        ApiResponse refused = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", user.email(), "password", "not the password", "name", "x"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.text()).doesNotContain("tm_");
        assertThat(user.client().get("/api/v1/me/tokens").json().size()).isEqualTo(0);
    }

    @Test
    void garbageOrNonBearerAuthorizationIs401Problem() {
        String[] headers = {
                "Bearer garbage",
                "Bearer tm_" + "A".repeat(43),
                "Bearer ",
                "Bearer " + "tm_x".repeat(100),
                "Basic " + Base64.getEncoder().encodeToString((user.email() + ":" + TestUsers.PASSWORD).getBytes()),
                "Token abc",
        };
        for (String header : headers) {
            ApiResponse response = ApiClient.at(port).get("/api/v1/me", Map.of("Authorization", header));
            assertThat(response.status()).as(header + " -> " + response).isEqualTo(401);
            assertThat(response.isProblem()).as(header).isTrue();
            // A bad Authorization header is not rescued by a valid session cookie sent with it.
            ApiResponse withSession = user.client().get("/api/v1/me", Map.of("Authorization", header));
            assertThat(withSession.status()).as(header + " with session -> " + withSession).isEqualTo(401);
        }
    }
}
