package io.taskmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.taskmesh.store.EmbeddedMongoStore;
import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.RedisServer;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TwoNodes;

/**
 * With {@code TASKMESH_REDIS_URL=redis-sentinel://…#master}, a node finds the primary through
 * Sentinel and follows a failover by itself: the session made before it stays valid (the replica
 * had it) and writes go to the promoted replica.
 */
class SentinelFailoverTest {

    static final String MASTER = "taskmesh";

    @Test
    void aNodeFollowsTheNewPrimaryAfterASentinelFailover() {
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.replicaOf(primary);
                RedisServer sentinel = RedisServer.sentinel(primary, MASTER);
                EmbeddedMongoStore store = EmbeddedMongoStore.inMemory()) {
            Deadline.await("the replica to be in sync", Duration.ofSeconds(20),
                    () -> replica.command("INFO replication").contains("master_link_status:up"));
            Deadline.await("Sentinel to know the replica", Duration.ofSeconds(30),
                    () -> !sentinel.command("SENTINEL REPLICAS " + MASTER).equals("*0"));

            String url = "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER;
            try (ConfigurableApplicationContext node = TwoNodes.startNode(1, url, store.connectionString(),
                    "taskmesh_sentinel_" + UUID.randomUUID().toString().substring(0, 8))) {
                int port = ((WebServerApplicationContext) node).getWebServer().getPort();
                TestUsers.User user = new TestUsers(port).signUp();
                assertThat(primary.command("DBSIZE")).as("the session is kept in the primary").isNotEqualTo(":0");
                Deadline.await("the session to reach the replica", Duration.ofSeconds(10),
                        () -> replica.command("DBSIZE").equals(primary.command("DBSIZE")));

                assertThat(sentinel.command("SENTINEL FAILOVER " + MASTER)).isEqualTo("+OK");
                Deadline.await("the replica to be promoted", Duration.ofSeconds(30),
                        () -> replica.command("INFO replication").contains("role:master"));

                ApiClient client = user.client();
                ApiResponse created = Deadline.await("a write with the old session to succeed after the failover",
                        Duration.ofSeconds(30), () -> client.post("/api/v1/lists", Map.of("name", "After failover")),
                        response -> response.status() == 201);
                assertThat(client.get("/api/v1/lists/" + created.get("id")).status()).isEqualTo(200);
                assertThat(client.get("/api/v1/me").get("id")).isEqualTo(user.id());
                Deadline.await("the old primary to follow the new one", Duration.ofSeconds(30),
                        () -> primary.command("INFO replication").contains("role:slave"));
            }
        }
    }
}
