package io.taskmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.TestUsers;

/**
 * Against a real local cluster ({@code ./taskmesh cluster up --nodes 3}: NGINX, Redis, the store
 * process and three API nodes under supervisord): NGINX serves the UI and the API, every node
 * reads what another wrote, and three faults under a {@link MixedLoad} through NGINX fail no
 * request of a client that retries what is safe to retry, and lose or double no acknowledged
 * write: {@code kill -9} of a node (supervisord brings it back), a rolling restart of every node,
 * and Redis stopped for 10 s. Each prints one line (requests, failures, retries, p50/p99). Run by
 * {@code ./taskmesh test} (Maven profile {@code cluster}); the cluster is brought down at the end
 * whatever happens.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {

    static final int NODES = 3;
    static final String PASSWORD = TestUsers.PASSWORD;
    /** A node's start can take minutes on a small machine shared with other builds. */
    static final Duration RESTART_LIMIT = Duration.ofSeconds(300);
    /** How long each fault's load runs at least. */
    static final int LOAD_SECONDS = 30;
    static final int LOAD_THREADS = 4;

    static LocalCluster cluster;
    static String email;
    static String token;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.up(NODES);
        email = "cluster-" + UUID.randomUUID() + "@example.test";
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
        // The built UI, not the placeholder: its hashed script is served with a long cache.
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"")
                .matcher(root.text());
        assertThat(script.find()).as("the entry page names its script: " + root.text()).isTrue();
        ApiResponse asset = cluster.nginx().get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Cache-Control")).contains("immutable");
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
        String listId = list.get("id");
        ApiResponse task = viaNginx.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "written via NGINX"),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(task.status()).as(task.toString()).isEqualTo(201);
        String taskId = task.get("id");
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
    void killNineOfANodeUnderMixedLoadFailsNothingAndSupervisorRestartsIt() throws Exception {
        try (MixedLoad load = mixedLoad("kill -9").start()) {
            long started = System.nanoTime();
            Deadline.await("some load before the kill", Duration.ofSeconds(60), () -> load.operations() >= 20);
            long victim = cluster.pid("node2");
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL
            Deadline.await("node2 (pid " + victim + ") to die", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(victim).map(p -> !p.isAlive()).orElse(true));
            // supervisord restarts it (autorestart): the load runs until node2 is back and serving.
            Deadline.await("node2 ready again and 30 s of load", RESTART_LIMIT,
                    () -> cluster.ready(2) && seconds(started) >= LOAD_SECONDS);
            assertThat(cluster.pid("node2")).as("node2 restarted as a new process").isNotEqualTo(victim);
            MixedLoad.Report report = load.stop("fault kill -9 node2");
            finish(load, report);
        }
    }

    @Test
    @Order(6)
    void aRollingRestartUnderMixedLoadFailsNothing() throws Exception {
        try (MixedLoad load = mixedLoad("rolling").start()) {
            long started = System.nanoTime();
            Deadline.await("some load before the restart", Duration.ofSeconds(60), () -> load.operations() >= 20);
            Map<Integer, Long> before = new HashMap<>();
            for (int n = 1; n <= NODES; n++) {
                before.put(n, cluster.pid("node" + n));
            }
            // Each node restarts in turn (drain, graceful stop, start, ready, undrain); on a loaded
            // machine a node's start alone can take minutes.
            cluster.taskmeshWithin(LocalCluster.COMMAND_LIMIT.multipliedBy(NODES), "cluster", "rolling-restart");
            for (int n = 1; n <= NODES; n++) {
                assertThat(cluster.pid("node" + n)).as("node%d restarted", n).isNotEqualTo(before.get(n));
            }
            Deadline.await("30 s of load", Duration.ofSeconds(LOAD_SECONDS + 5), () -> seconds(started) >= LOAD_SECONDS);
            MixedLoad.Report report = load.stop("fault rolling restart of " + NODES + " nodes");
            finish(load, report);
        }
    }

    @Test
    @Order(7)
    void redisDownForTenSecondsUnderMixedLoadFailsNothing() throws Exception {
        try (MixedLoad load = mixedLoad("redis").start()) {
            long started = System.nanoTime();
            Deadline.await("some load before stopping Redis", Duration.ofSeconds(60), () -> load.operations() >= 20);
            cluster.supervisorctl("stop", "redis");
            long stopped = System.nanoTime();
            // The outage itself: Redis stays stopped this long whatever the load does.
            Deadline.await("10 s of Redis down", Duration.ofSeconds(15), () -> seconds(stopped) >= 10);
            cluster.supervisorctl("start", "redis");
            Deadline.await("30 s of load", Duration.ofSeconds(LOAD_SECONDS + 5), () -> seconds(started) >= LOAD_SECONDS);
            MixedLoad.Report report = load.stop("fault Redis stopped 10 s");
            finish(load, report);
        }
        // The session 503 is the same on every node: NGINX answers it from the first node, neither
        // passing it on nor counting it as that node's failure.
        List<String> sessionUnavailable = cluster.nginxAccessLog().stream().filter(l -> l.contains(" us=503"))
                .toList();
        assertThat(sessionUnavailable).as("cookie requests answered 503 while Redis was down").isNotEmpty();
        assertThat(sessionUnavailable).as("503s passed on to another node")
                .noneMatch(l -> l.matches(".*upstream=\\S+, .*"));
    }

    /**
     * A fresh list, and the load's callers: {@link #LOAD_THREADS} bearer clients and one browser-like
     * client (session cookie + CSRF header), all through NGINX.
     */
    private static MixedLoad mixedLoad(String name) {
        ApiClient owner = cluster.nginx().withBearer(token);
        ApiResponse list = owner.post("/api/v1/lists", Map.of("name", "load " + name));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        List<ApiClient> clients = new ArrayList<>();
        for (int c = 0; c < LOAD_THREADS; c++) {
            clients.add(cluster.nginx().withBearer(token));
        }
        ApiClient browser = cluster.nginx();
        ApiResponse login = browser.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        clients.add(browser);
        return new MixedLoad(list.get("id"), clients);
    }

    /** Prints the fault's line, then: nothing failed, every node is back, every acknowledged write is there once. */
    private static void finish(MixedLoad load, MixedLoad.Report report) throws Exception {
        System.out.println(report.line());
        assertThat(report.failures()).as(report.line()).isEmpty();
        assertThat(report.creates()).as("creates acknowledged during the fault").isPositive();
        for (int n = 1; n <= NODES; n++) {
            int node = n;
            Deadline.await("node" + n + " ready", RESTART_LIMIT, () -> cluster.ready(node));
        }
        load.verify(cluster.nginx().withBearer(token));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
