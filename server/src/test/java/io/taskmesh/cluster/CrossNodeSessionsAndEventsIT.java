package io.taskmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.EventStream;
import io.taskmesh.support.TestUsers;

/**
 * What the nodes share through Redis and the store, on a real 3-node cluster: a session started on
 * one node works on the others and through NGINX; 200 writes each read back at once on another
 * node; changes made through node 1 reach a live-event client on node 3 within a second (p99 over
 * 100 events); and a client that reconnects with {@code Last-Event-ID} misses nothing.
 */
class CrossNodeSessionsAndEventsIT {

    static final String PASSWORD = TestUsers.PASSWORD;
    static final int ROUNDS = 200;
    static final int EVENTS = 100;

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
    void aSessionStartedOnNodeOneWorksOnNodeTwoAndThroughNginx() {
        String email = "session-" + UUID.randomUUID() + "@example.test";
        ApiClient node1 = cluster.node(1);
        ApiResponse signup = node1.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        ApiResponse login = node1.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String session = node1.cookie("TASKMESH_SESSION");
        String xsrf = node1.csrfCookie();
        assertThat(session).isNotNull();
        assertThat(xsrf).as("XSRF-TOKEN cookie").isNotNull();
        Map<String, String> cookies = Map.of("Cookie", "TASKMESH_SESSION=" + session + "; XSRF-TOKEN=" + xsrf,
                "X-XSRF-TOKEN", xsrf);

        for (ApiClient other : new ApiClient[] {cluster.node(2), cluster.nginx()}) {
            ApiClient client = other.sendCsrf(false);
            ApiResponse me = client.get("/api/v1/me", cookies);
            assertThat(me.status()).as("GET /me via %s: %s", client.baseUrl(), me).isEqualTo(200);
            assertThat(me.get("email")).isEqualTo(email);
            ApiResponse created = client.post("/api/v1/lists", Map.of("name", "via " + client.baseUrl()), cookies);
            assertThat(created.status()).as("POST /lists via %s: %s", client.baseUrl(), created).isEqualTo(201);
        }
    }

    @Test
    void everyWriteIsReadBackAtOnceOnAnotherNode() {
        String token = tokenOfNewUser("ryw");
        ApiClient[] endpoints = {cluster.node(1), cluster.node(2), cluster.node(3), cluster.nginx()};
        for (ApiClient endpoint : endpoints) {
            endpoint.withBearer(token);
        }
        String listId = endpoints[0].post("/api/v1/lists", Map.of("name", "Read your writes")).get("id");
        String task = "/api/v1/lists/" + listId + "/tasks/"
                + endpoints[0].post("/api/v1/lists/" + listId + "/tasks", Map.of("title", "round -")).get("id");
        for (int round = 0; round < ROUNDS; round++) {
            // Writer and reader rotate over the nodes and NGINX and are never the same endpoint.
            ApiClient writer = endpoints[round % endpoints.length];
            ApiClient reader = endpoints[(round + 1 + round / endpoints.length % (endpoints.length - 1))
                    % endpoints.length];
            String title = "round " + round;
            ApiResponse written = writer.patch(task, Map.of("title", title, "completed", round % 2 == 0));
            assertThat(written.status()).as("round %d write via %s: %s", round, writer.baseUrl(), written)
                    .isEqualTo(200);
            ApiResponse read = reader.get(task);
            assertThat(read.status()).as("round %d read via %s: %s", round, reader.baseUrl(), read).isEqualTo(200);
            assertThat(read.get("title")).as("round %d: written via %s, read via %s", round, writer.baseUrl(),
                    reader.baseUrl()).isEqualTo(title);
            assertThat(read.json().get("completed").asBoolean()).isEqualTo(round % 2 == 0);
            assertThat(read.header("ETag")).isEqualTo(written.header("ETag"));
        }
    }

    @Test
    void changesThroughNodeOneReachALiveClientOnNodeThreeWithinASecond() {
        String token = tokenOfNewUser("live");
        ApiClient node1 = cluster.node(1).withBearer(token);
        String listId = node1.post("/api/v1/lists", Map.of("name", "Live across nodes")).get("id");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        String taskId = node1.post(tasks, Map.of("title", "seen on node 3")).get("id");
        List<Long> latencies = new ArrayList<>();
        try (EventStream onNode3 = cluster.node(3).withBearer(token).events(null)) {
            for (int i = 0; i < EVENTS; i++) {
                String title = "live " + i;
                long sent = System.nanoTime();
                ApiResponse changed = node1.patch(tasks + "/" + taskId, Map.of("title", title));
                assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                EventStream.Event event = onNode3.next(Duration.ofSeconds(5),
                        e -> e.name().equals("task.updated") && title.equals(e.json().get("title").asString()));
                latencies.add(System.nanoTime() - sent);
                assertThat(event.json().get("id").asString()).isEqualTo(taskId);
            }
        }
        Collections.sort(latencies);
        long p50 = latencies.get(EVENTS / 2) / 1_000_000;
        long p99 = latencies.get(EVENTS * 99 / 100) / 1_000_000;
        System.out.printf("live: node1 write -> event on node3 over %d events: p50 %d ms, p99 %d ms, max %d ms%n",
                EVENTS, p50, p99, latencies.get(EVENTS - 1) / 1_000_000);
        assertThat(p99).as("p99 from the write's start on node 1 to the event on node 3, in ms").isLessThan(1000);
    }

    @Test
    void aClientReconnectingThroughNginxWithLastEventIdMissesNothing() {
        String token = tokenOfNewUser("resume");
        ApiClient viaNginx = cluster.nginx().withBearer(token);
        String listId = viaNginx.post("/api/v1/lists", Map.of("name", "Resume")).get("id");
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        String lastSeen;
        try (EventStream first = viaNginx.events(null)) {
            String id = cluster.node(1).withBearer(token).post(tasks, Map.of("title", "before the gap")).get("id");
            lastSeen = first.next(Duration.ofSeconds(5),
                    e -> e.name().equals("task.created") && e.data().contains(id)).id();
        }
        // Changes made on every node while the client is away.
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String title = "while away " + i;
            ApiResponse created = cluster.node(1 + i % 3).withBearer(token).post(tasks, Map.of("title", title));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            missed.add(title);
        }
        try (EventStream resumed = viaNginx.events(lastSeen)) {
            List<String> received = new ArrayList<>();
            while (received.size() < missed.size()) {
                EventStream.Event event = resumed.next(Duration.ofSeconds(5),
                        e -> e.name().equals("task.created") || e.name().equals("resync"));
                if (event.name().equals("resync")) {
                    // Allowed by the contract, but the stream still holds these ids, so say so.
                    throw new AssertionError("resync instead of the missed events after " + lastSeen);
                }
                received.add(event.json().get("title").asString());
            }
            assertThat(received).as("missed events, in order, once each").containsExactlyElementsOf(missed);
        }
    }

    private static String tokenOfNewUser(String prefix) {
        String email = prefix + "-" + UUID.randomUUID() + "@example.test";
        ApiClient anyNode = cluster.nginx();
        assertThat(anyNode.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD)).status())
                .isEqualTo(201);
        ApiResponse issued = anyNode.post("/api/v1/auth/tokens",
                Map.of("email", email, "password", PASSWORD, "name", prefix));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return issued.get("token");
    }
}
