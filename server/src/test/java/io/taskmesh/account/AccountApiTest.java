package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;

@ApiTest
class AccountApiTest {

    @LocalServerPort
    int port;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    @Test
    void signUpLogsInAndMeReturnsTheUser() {
        ApiClient client = ApiClient.at(port);
        String email = "Mixed.Case-" + UUID.randomUUID() + "@Example.test";
        ApiResponse signup = client.post("/api/v1/auth/signup",
                Map.of("email", email, "password", TestUsers.PASSWORD, "displayName", "Ada 🚀"));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        assertThat(signup.get("email")).isEqualTo(email.toLowerCase());
        assertThat(signup.get("displayName")).isEqualTo("Ada 🚀");

        ApiResponse me = client.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.get("id")).isEqualTo(signup.get("id"));
    }

    @Test
    void meWithoutCredentialsIs401Problem() {
        ApiResponse me = ApiClient.at(port).get("/api/v1/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.isProblem()).isTrue();
    }
}
