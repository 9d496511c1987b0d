package io.taskmesh.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

/** Creates users, lists and tasks through the API for tests. */
public final class TestUsers {

    public static final String PASSWORD = "correct horse battery";

    private final int port;

    public TestUsers(int port) {
        this.port = port;
    }

    /** A new user, logged in by cookie (with CSRF header), under a unique e-mail. */
    public User signUp() {
        String email = "user-" + UUID.randomUUID() + "@example.test";
        ApiClient client = ApiClient.at(port);
        ApiResponse response = client.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new User(response.get("id"), email, client);
    }

    /** A client that authenticates as the user with a fresh personal access token. */
    public ApiClient bearerClient(User user) {
        ApiResponse token = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", user.email(), "password", PASSWORD, "name", "test"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        return ApiClient.at(port).withBearer(token.get("token"));
    }

    /** A signed-up user and its cookie-authenticated client. */
    public record User(String id, String email, ApiClient client) {

        public String createList(String name) {
            ApiResponse response = client.post("/api/v1/lists", Map.of("name", name));
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            return response.get("id");
        }

        public String createTask(String listId, String title) {
            ApiResponse response = client.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", title));
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            return response.get("id");
        }

        /** Posts a task with the given fields and expects 201; returns the answer. */
        public ApiResponse postTask(String listId, java.util.Map<String, ?> fields) {
            ApiResponse response = client.post("/api/v1/lists/" + listId + "/tasks", fields);
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            return response;
        }

        /** Shares the list with another user. */
        public void share(String listId, User other, String role) {
            ApiResponse response = client.post("/api/v1/lists/" + listId + "/members",
                    Map.of("email", other.email(), "role", role));
            assertThat(response.status()).as(response.toString()).isIn(200, 201);
        }
    }
}
