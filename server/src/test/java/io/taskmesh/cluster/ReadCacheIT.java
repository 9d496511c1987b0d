package io.taskmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.TestUsers;

/**
 * The read cache in the real local cluster: a read-heavy run of a browser session through NGINX
 * (spread over three nodes) is served from Redis, and the nodes' own metrics show it: hit ratio of
 * at least 90 % and practically no MongoDB command per cached read; a browser that accepts gzip gets
 * the node's compressed copy through NGINX, compressed once.
 */
class ReadCacheIT {

    static final String PASSWORD = TestUsers.PASSWORD;
    static final int LISTS = 3;
    static final int TASKS_PER_LIST = 20;
    static final int ROUNDS = 40;

    static LocalCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.up(3);
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReadHeavyRunThroughNginxIsServedFromTheCache() {
        ApiClient browser = loggedInThroughNginx("reader-" + UUID.randomUUID() + "@example.test");
        List<String> paths = new ArrayList<>(List.of("/api/v1/lists", "/api/v1/tasks?view=today&tz=Europe/Paris",
                "/api/v1/tasks?view=all"));
        for (int l = 0; l < LISTS; l++) {
            String name = "List " + l;
            String listId = ok(() -> browser.post("/api/v1/lists", Map.of("name", name))).get("id");
            for (int t = 0; t < TASKS_PER_LIST; t++) {
                String title = "Task " + t;
                ok(() -> browser.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", title)));
            }
            paths.add("/api/v1/lists/" + listId + "/tasks");
            paths.add("/api/v1/lists/" + listId + "/tasks?status=active");
        }

        Scrape start = scrape();
        paths.forEach(path -> ok(() -> browser.get(path))); // the misses: each key is loaded once, for every node
        Scrape warm = scrape();
        for (int round = 0; round < ROUNDS; round++) {
            paths.forEach(path -> ok(() -> browser.get(path)));
        }
        Scrape end = scrape();

        double reads = (ROUNDS + 1.0) * paths.size();
        double hits = end.hits - start.hits;
        double misses = end.misses - start.misses;
        double cachedReads = ROUNDS * paths.size();
        double mongoPerCachedRead = (end.mongoCommands - warm.mongoCommands) / cachedReads;
        System.out.printf("read cache through NGINX: %.0f reads, %.0f hits, %.0f misses (hit ratio %.3f); "
                + "%.0f MongoDB commands in %.0f warm reads (%.4f per read)%n", reads, hits, misses,
                hits / (hits + misses), end.mongoCommands - warm.mongoCommands, cachedReads, mongoPerCachedRead);
        // At least: a read answered 503 after its handler ran (session save failed) is repeated.
        assertThat(hits + misses).as("every read went through the cache").isGreaterThanOrEqualTo(reads);
        assertThat(hits / (hits + misses)).as("hit ratio").isGreaterThanOrEqualTo(0.9);
        assertThat(mongoPerCachedRead).as("MongoDB commands per cached read").isLessThanOrEqualTo(0.05);
    }

    @Test
    void aBrowserThatAcceptsGzipGetsTheCachedPageCompressedOnceThroughNginx() {
        String email = "gzip-" + UUID.randomUUID() + "@example.test";
        ApiClient browser = loggedInThroughNginx(email);
        String listId = ok(() -> browser.post("/api/v1/lists", Map.of("name", "Long"))).get("id");
        for (int t = 0; t < TASKS_PER_LIST; t++) {
            String title = "A task whose title makes the page longer than a kilobyte, number " + t;
            ok(() -> browser.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", title)));
        }
        String path = "/api/v1/lists/" + listId + "/tasks";
        String json = ok(() -> browser.get(path)).text();
        Map<String, String> gzip = Map.of("Accept-Encoding", "gzip, deflate, br, zstd");
        String token = ok(() -> browser.post("/api/v1/auth/tokens",
                Map.of("email", email, "password", PASSWORD, "name", "gzip"))).get("token");
        for (int n = 1; n <= cluster.nodes; n++) {
            ApiClient atNode = cluster.node(n).withBearer(token);
            assertThat(ok(() -> atNode.get(path, gzip)).header("Content-Encoding")).as("node %d compresses", n)
                    .isEqualTo("gzip");
        }
        for (int i = 0; i < 3 * cluster.nodes; i++) { // NGINX spreads them over the nodes
            ApiResponse compressed = ok(() -> browser.get(path, gzip));
            assertThat(compressed.headers("Content-Encoding")).as("compressed by the node, not again by NGINX")
                    .containsExactly("gzip");
            assertThat(compressed.gunzipped()).isEqualTo(json);
        }
    }

    /** A browser session of a new user with this e-mail, through NGINX. */
    private static ApiClient loggedInThroughNginx(String email) {
        ApiClient browser = cluster.nginx();
        ok(() -> browser.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD)));
        ok(() -> browser.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)));
        return browser;
    }

    /** Sums of the nodes' own counters, read from /actuator/prometheus of every node. */
    record Scrape(double hits, double misses, double mongoCommands) {
    }

    private static Scrape scrape() {
        double hits = 0;
        double misses = 0;
        double mongo = 0;
        for (int n = 1; n <= cluster.nodes; n++) {
            ApiResponse metrics = cluster.node(n).get("/actuator/prometheus", Map.of("Accept", "text/plain"));
            assertThat(metrics.status()).as("metrics of node %d", n).isEqualTo(200);
            for (String line : metrics.text().split("\n")) {
                if (line.startsWith("taskmesh_cache_hits_total")) {
                    hits += value(line);
                } else if (line.startsWith("taskmesh_cache_misses_total")) {
                    misses += value(line);
                } else if (line.startsWith("mongodb_driver_commands_seconds_count")
                        && !line.contains("collection=\"idempotency\"")) {
                    mongo += value(line);
                }
            }
        }
        return new Scrape(hits, misses, mongo);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /**
     * Sends the request until it is not a 503: on a loaded machine a session command can time out,
     * and the node then answers 503 with Retry-After, which clients are meant to retry.
     */
    private static ApiResponse ok(Supplier<ApiResponse> request) {
        ApiResponse response = Deadline.await("an answer other than 503", Duration.ofSeconds(30), request,
                r -> r.status() != 503);
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response;
    }
}
