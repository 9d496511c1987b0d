package io.taskmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.EventStream;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import io.taskmesh.support.TwoNodes;

/**
 * Redis is an accelerator: while it is down, bearer requests work, cookie requests get a fast
 * 503 with Retry-After, and everything comes back by itself when Redis does.
 */
@ExtendWith(TwoNodes.class)
class RedisOutageTest {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Test
    void whileRedisIsDownBearerRequestsWorkAndCookieRequestsAreToldToRetryThenAllRecovers(TwoNodes.Cluster cluster) {
        TestUsers users = cluster.users();
        User user = users.signUp();
        ApiClient program = users.bearerClient(user);
        ApiClient browserOnNode2 = user.client().sameCallerAt(cluster.port(2));
        String listId = user.createList("Outage");
        MeterRegistry metrics = cluster.context(1).getBean(MeterRegistry.class);
        double publishFailuresBefore = metrics.counter("taskmesh.live.publish.failures").count();

        try (EventStream events = program.sameCallerAt(cluster.port(2)).events(null)) {
            cluster.redis().kill();
            try {
                ApiResponse created = program.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "while down"));
                assertThat(created.status()).as("a bearer write while Redis is down: " + created).isEqualTo(201);
                assertThat(program.get("/api/v1/lists/" + listId + "/tasks").status()).isEqualTo(200);
                assertThat(metrics.counter("taskmesh.live.publish.failures").count())
                        .as("the lost event is counted").isGreaterThan(publishFailuresBefore);

                for (ApiClient browser : new ApiClient[] {user.client(), browserOnNode2}) {
                    long start = System.nanoTime();
                    ApiResponse refused = browser.get("/api/v1/me");
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                    assertThat(refused.isProblem()).isTrue();
                    assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
                    assertThat(took).as("a cookie request fails fast").isLessThan(Duration.ofSeconds(2));
                }
                assertThat(metrics.get("taskmesh.redis.errors").tag("use", "session").counter().count()).isPositive();
            } finally {
                cluster.redis().startAgain();
            }

            // The restarted Redis kept nothing (no persistence in tests): streams are told to
            // refetch, old sessions are gone, and new ones work on every node again.
            assertThat(events.next(RECOVERY, "resync")).isNotNull();
            Deadline.await("cookie requests to be answered again", RECOVERY,
                    () -> user.client().get("/api/v1/me").status() != 503);
            ApiClient browser = ApiClient.at(cluster.port(1));
            ApiResponse login = browser.post("/api/v1/auth/login",
                    Map.of("email", user.email(), "password", TestUsers.PASSWORD));
            assertThat(login.status()).as(login.toString()).isEqualTo(200);
            assertThat(browser.sameCallerAt(cluster.port(2)).get("/api/v1/me").status()).isEqualTo(200);

            Deadline.await("events to flow between nodes again", RECOVERY, () -> {
                program.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "after"));
                return events.drain(Duration.ofMillis(300)).stream().anyMatch(e -> e.name().equals("task.created"));
            });
        }
    }
}
