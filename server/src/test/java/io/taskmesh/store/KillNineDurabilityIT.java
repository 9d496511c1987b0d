package io.taskmesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.Deadline;
import io.taskmesh.support.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Starts the packaged jar as its own process on a data directory, writes over HTTP, kills the
 * process with SIGKILL (and later stops it with SIGTERM), restarts it on the same directory and
 * checks that every acknowledged write is still there.
 */
class KillNineDurabilityIT {

    static final Duration START_LIMIT = Duration.ofSeconds(150);
    static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    static final String PASSWORD = TestUsers.PASSWORD;

    final List<Process> started = new ArrayList<>();
    Path log;
    Path dataDir;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void acknowledgedTasksSurviveKillNineAndAGracefulStop() throws Exception {
        dataDir = Files.createTempDirectory("taskmesh-durability-");
        Path logDir = Paths.get("target", "durability-it");
        Files.createDirectories(logDir);
        log = logDir.resolve("server-" + UUID.randomUUID() + ".log");
        try {
            run(dataDir);
        } catch (Throwable failure) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
            System.err.println("--- output of the server process (" + log.toAbsolutePath() + ") ---\n" + output);
            AssertionError error = new AssertionError(failure.getMessage() + "\n--- server output ("
                    + log.toAbsolutePath() + ") ---\n" + tail(output, 20_000), failure);
            throw error;
        }
    }

    private void run(Path dataDir) throws Exception {
        // First life: write 200 tasks, then SIGKILL.
        Node first = start(dataDir);
        ApiClient signUp = ApiClient.at(first.port);
        String email = "durable-" + UUID.randomUUID() + "@example.test";
        ApiResponse user = signUp.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        ApiResponse issued = signUp.post("/api/v1/auth/tokens",
                Map.of("email", email, "password", PASSWORD, "name", "durability"));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        String token = issued.get("token");
        ApiClient api = ApiClient.at(first.port).withBearer(token);
        ApiResponse list = api.post("/api/v1/lists", Map.of("name", "Must survive"));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        String listId = list.get("id");
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String title = "task " + i + " " + UUID.randomUUID();
            ApiResponse created = api.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", title));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            titles.add(title);
        }

        first.process.destroyForcibly();
        assertThat(first.process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("killed").isTrue();
        // 128 + 9: the JVM died of SIGKILL, it did not get to shut down.
        assertThat(first.process.exitValue()).as("exit status after destroyForcibly").isEqualTo(137);

        // Second life: everything is there; add more, then stop gracefully with SIGTERM.
        Node second = start(dataDir);
        ApiClient again = ApiClient.at(second.port).withBearer(token);
        assertThat(titlesOf(again, listId)).containsExactlyElementsOf(titles);
        ApiResponse counts = again.get("/api/v1/lists/" + listId);
        assertThat(counts.json().get("totalCount").asInt()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            String title = "after restart " + i;
            ApiResponse created = again.post("/api/v1/lists/" + listId + "/tasks", Map.of("title", title));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            titles.add(title);
        }
        ApiResponse renamed = again.patch("/api/v1/lists/" + listId, Map.of("name", "Renamed before SIGTERM"));
        assertThat(renamed.status()).isEqualTo(200);

        second.process.destroy();
        assertThat(second.process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("stopped").isTrue();
        // 128 + 15: SIGTERM, after the JVM's shutdown hooks ran.
        assertThat(second.process.exitValue()).as("exit status after destroy").isIn(0, 143);

        // Third life: the data written before the graceful stop is there too.
        Node third = start(dataDir);
        ApiClient last = ApiClient.at(third.port).withBearer(token);
        assertThat(titlesOf(last, listId)).containsExactlyElementsOf(titles);
        ApiResponse finalList = last.get("/api/v1/lists/" + listId);
        assertThat(finalList.get("name")).isEqualTo("Renamed before SIGTERM");
        assertThat(finalList.json().get("totalCount").asInt()).isEqualTo(220);
        ApiResponse login = ApiClient.at(third.port).post("/api/v1/auth/login",
                Map.of("email", email, "password", PASSWORD));
        assertThat(login.status()).as("the account survived too").isEqualTo(200);
    }

    private static List<String> titlesOf(ApiClient api, String listId) {
        List<String> titles = new ArrayList<>();
        String cursor = null;
        do {
            ApiResponse page = api.get("/api/v1/lists/" + listId + "/tasks?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            JsonNode body = page.json();
            body.get("items").forEach(t -> titles.add(t.get("title").asString()));
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asString();
        } while (cursor != null);
        return titles;
    }

    record Node(Process process, int port) {
    }

    private Node start(Path dataDir) throws IOException {
        String jar = System.getProperty("taskmesh.jar");
        assertThat(jar).as("system property taskmesh.jar (set by failsafe)").isNotBlank();
        assertThat(Path.of(jar)).exists();
        String javaCommand = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int port = freePort();
        Files.writeString(log, "\n===== starting on port " + port + " =====\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        // The embedded mode as ./taskmesh run starts it: from the bean definitions Spring AOT generated.
        ProcessBuilder builder = new ProcessBuilder(javaCommand, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Dspring.aot.enabled=true", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TASKMESH_PORT", Integer.toString(port));
        builder.environment().put("TASKMESH_DATA_DIR", dataDir.toString());
        builder.environment().remove("TASKMESH_MONGODB_URI");
        builder.environment().remove("TASKMESH_REDIS_URL");
        Process process = builder.start();
        started.add(process);
        ApiClient probe = ApiClient.at(port);
        Deadline.await("readiness of the node on port " + port, START_LIMIT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue());
            }
            try {
                return probe.get("/actuator/health/readiness").status();
            } catch (IllegalStateException notYetListening) {
                return -1;
            }
        }, status -> status == 200);
        return new Node(process, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }
}
