package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TwoNodes;

/** With Redis configured, a session started on one node is valid on every node. */
@ExtendWith(TwoNodes.class)
class CrossNodeSessionTest {

    @Test
    void aUserLoggedInOnOneNodeContinuesOnAnother(TwoNodes.Cluster cluster) {
        TestUsers.User user = cluster.users().signUp();
        ApiClient node1 = ApiClient.at(cluster.port(1));
        ApiResponse login = node1.post("/api/v1/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.setCookie("TASKMESH_SESSION")).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");

        ApiClient node2 = node1.sameCallerAt(cluster.port(2));
        ApiResponse me = node2.get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.get("id")).isEqualTo(user.id());

        ApiResponse created = node2.post("/api/v1/lists", Map.of("name", "Made on node 2"));
        assertThat(created.status()).as("an unsafe request with the CSRF header, on the other node: " + created)
                .isEqualTo(201);
        assertThat(node1.get("/api/v1/lists/" + created.get("id")).status()).isEqualTo(200);
    }

    @Test
    void loggingOutOnOneNodeEndsTheSessionOnEveryNode(TwoNodes.Cluster cluster) {
        TestUsers.User user = cluster.users().signUp();
        ApiClient node2 = user.client().sameCallerAt(cluster.port(2));
        assertThat(node2.get("/api/v1/me").status()).isEqualTo(200);
        String cookie = user.client().cookie("TASKMESH_SESSION");

        assertThat(user.client().post("/api/v1/auth/logout", Map.of()).status()).isEqualTo(204);

        ApiClient stale = ApiClient.at(cluster.port(2));
        ApiResponse after = stale.get("/api/v1/me", Map.of("Cookie", "TASKMESH_SESSION=" + cookie));
        assertThat(after.status()).as(after.toString()).isEqualTo(401);
    }
}
