package io.taskmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;

/**
 * Against a real local cluster ({@code ./taskmesh cluster up --nodes 3}: NGINX, Redis, the store
 * process and three API nodes under supervisord): NGINX serves the UI and the API, every node
 * reads what another wrote, and {@code kill -9} of a node under a load of GETs through NGINX fails
 * no request while supervisord brings the node back. Run by {@code ./taskmesh test} (Maven profile
 * {@code cluster}); the cluster is brought down at the end whatever happens.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {

    static final int NODES = 3;
    static final String PASSWORD = "correct horse battery";
    static final Duration RESTART_LIMIT = Duration.ofSeconds(180);

    static LocalCluster cluster;
    static String token;
    static String listId;
    static String taskId;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.up(NODES);
        String email = "cluster-" + UUID.randomUUID() + "@example.test";
        ApiClient viaNginx = cluster.nginx();
        ApiResponse signup = viaNginx.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        ApiResponse issued = viaNginx.post("/api/v1/auth/tokens",
                Map.of("email", email, "password", PASSWORD, "name", "cluster-it"));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        token = issued.get("token");
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyNodeIsReady() {
        for (int n = 1; n <= NODES; n++) {
            ApiResponse readiness = cluster.node(n).get("/actuator/health/readiness");
            assertThat(readiness.status()).as("node%d readiness: %s", n, readiness).isEqualTo(200);
        }
        assertThat(cluster.taskmesh("cluster", "status")).contains("node3", "ready").doesNotContain("NOT READY");
    }

    @Test
    @Order(2)
    void nginxServesTheUiRootWithSecurityAndCacheHeaders() {
        ApiResponse root = cluster.nginx().get("/", Map.of("Accept", "text/html"));
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.header("Server")).isEqualTo("nginx");
        assertThat(root.contentType()).startsWith("text/html");
        assertThat(root.text()).contains("Taskmesh");
        assertThat(root.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(root.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(root.header("Content-Security-Policy")).contains("default-src 'self'");
        // A client-side route falls back to the entry page.
        ApiResponse route = cluster.nginx().get("/lists/some-list", Map.of("Accept", "text/html"));
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.text()).isEqualTo(root.text());
        assertThat(cluster.nginx().get("/nginx-health").text()).isEqualTo("ok\n");
    }

    @Test
    @Order(3)
    void theApiWorksThroughNginxAndEveryNodeReadsTheSharedStore() {
        ApiClient viaNginx = cluster.nginx().withBearer(token);
        ApiResponse list = viaNginx.post("/api/v1/lists", Map.of("name", "Shared by all nodes"));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        listId = list.get("id");
        ApiResponse task = viaNginx.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "written via NGINX"),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(task.status()).as(task.toString()).isEqualTo(201);
        taskId = task.get("id");
        assertThat(task.header("Server")).as("answered through NGINX").isEqualTo("nginx");
        for (int n = 1; n <= NODES; n++) {
            ApiResponse read = cluster.node(n).withBearer(token).get("/api/v1/lists/" + listId + "/tasks/" + taskId);
            assertThat(read.status()).as("node%d: %s", n, read).isEqualTo(200);
            assertThat(read.get("title")).isEqualTo("written via NGINX");
        }
        // Written on node 3, read on node 1 (no cache in between may hide it).
        ApiResponse renamed = cluster.node(3).withBearer(token).patch("/api/v1/lists/" + listId + "/tasks/" + taskId,
                Map.of("title", "renamed on node 3"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(cluster.node(1).withBearer(token).get("/api/v1/lists/" + listId + "/tasks/" + taskId).get("title"))
                .isEqualTo("renamed on node 3");
    }

    @Test
    @Order(4)
    void nginxRefusesBodiesOverOneMebibyteAsAProblem() {
        ApiResponse tooLarge = cluster.nginx().withBearer(token).post("/api/v1/lists",
                "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(5)
    void killNineOfANodeUnderLoadFailsNoGetAndSupervisorRestartsIt() throws Exception {
        assertThat(taskId).as("the shared-store test ran first").isNotNull();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String[] paths = {"/api/v1/lists", "/api/v1/lists/" + listId, "/api/v1/lists/" + listId + "/tasks",
            "/api/v1/lists/" + listId + "/tasks/" + taskId};
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int offset = c;
            running.add(clients.submit(() -> {
                int i = offset;
                while (!stop.get()) {
                    String path = paths[i++ % paths.length];
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.portBase + path))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).GET().build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.add("GET " + path + " -> " + response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failures.add("GET " + path + " -> " + e);
                    }
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        try {
            Deadline.await("some load before the kill", Duration.ofSeconds(30), () -> latencies.size() >= 50);
            long victim = cluster.pid("node2");
            int before = latencies.size();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL
            Deadline.await("node2 (pid " + victim + ") to die", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(victim).map(p -> !p.isAlive()).orElse(true));
            // Keep the load on while the node is gone and supervisord starts it again.
            Deadline.await("load after the kill", Duration.ofSeconds(60), () -> latencies.size() >= before + 200);
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("kill -9 node2 under load: %d GETs through NGINX, %d failed, p50 %d ms, p99 %d ms%n",
                    sorted.size(), failures.size(), sorted.get(sorted.size() / 2) / 1_000_000,
                    sorted.get((int) (sorted.size() * 0.99)) / 1_000_000);
            long passedOn = cluster.nginxAccessLog().stream().filter(line -> line.matches(".*upstream=\\S+, .*"))
                    .count();
            System.out.printf("NGINX passed %d requests on to another node (access log)%n", passedOn);
            assertThat(failures).as("requests that failed while node2 was killed").isEmpty();

            long restarted = Deadline.await("supervisord to restart node2", RESTART_LIMIT, () -> {
                try {
                    return cluster.pid("node2");
                } catch (RuntimeException | AssertionError notYet) {
                    return 0L;
                }
            }, pid -> pid > 0 && pid != victim);
            Deadline.await("node2 (pid " + restarted + ") ready again", RESTART_LIMIT,
                    () -> cluster.node(2).get("/actuator/health/readiness").status(), status -> status == 200);
            ApiResponse read = cluster.node(2).withBearer(token).get("/api/v1/lists/" + listId + "/tasks/" + taskId);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }
}
