package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TwoNodes;

/** With Redis configured, failed log-ins are counted by all nodes together. */
@ExtendWith(TwoNodes.class)
class SharedLoginThrottleTest {

    @Test
    void failuresSpreadOverTwoNodesAreCountedTogether(TwoNodes.Cluster cluster) {
        TestUsers.User user = cluster.users().signUp();
        // The test profile allows 5 failures per account: 3 on node 1 and 2 on node 2 reach it,
        // though neither node alone has seen 5.
        for (int i = 0; i < 5; i++) {
            ApiResponse wrong = ApiClient.at(cluster.port(i % 2 + 1)).post("/api/v1/auth/login",
                    Map.of("email", user.email(), "password", "wrong password " + i));
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        }
        for (int node = 1; node <= 2; node++) {
            ApiResponse refused = ApiClient.at(cluster.port(node)).post("/api/v1/auth/login",
                    Map.of("email", user.email(), "password", TestUsers.PASSWORD));
            assertThat(refused.status()).as("node " + node + ": " + refused).isEqualTo(429);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        }
    }
}
