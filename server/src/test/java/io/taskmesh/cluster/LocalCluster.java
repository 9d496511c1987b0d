package io.taskmesh.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.taskmesh.support.ApiClient;

/**
 * A real local cluster started with {@code ./taskmesh cluster up} on ports that do not collide with
 * a developer's cluster (NGINX on {@code TASKMESH_CLUSTER_PORT_BASE}, default 18180 here; node n on
 * base + n), in {@code server/target/cluster-it}. {@link #close()} always brings it down and
 * deletes its directory.
 */
final class LocalCluster implements AutoCloseable {

    // Generous: on a small machine shared with other builds, starting three nodes took over 5 minutes.
    static final Duration COMMAND_LIMIT = Duration.ofSeconds(480);

    final Path root = Path.of("..").toAbsolutePath().normalize();
    final Path dir = Path.of("target", "cluster-it").toAbsolutePath();
    final Path output = Path.of("target", "cluster-it.log").toAbsolutePath();
    final int nodes;
    final int portBase = intEnv("TASKMESH_CLUSTER_IT_PORT_BASE", 18180);
    final int redisPort = intEnv("TASKMESH_CLUSTER_IT_REDIS_PORT", 16479);
    final int storePort = intEnv("TASKMESH_CLUSTER_IT_STORE_PORT", 17117);

    private LocalCluster(int nodes) {
        this.nodes = nodes;
    }

    static LocalCluster up(int nodes) throws IOException {
        LocalCluster cluster = new LocalCluster(nodes);
        Files.writeString(cluster.output, "");
        try {
            cluster.taskmesh("cluster", "up", "--nodes", Integer.toString(nodes));
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    ApiClient nginx() {
        return new ApiClient("http://127.0.0.1:" + portBase);
    }

    ApiClient node(int n) {
        return new ApiClient("http://127.0.0.1:" + nodePort(n));
    }

    int nodePort(int n) {
        return portBase + n;
    }

    /** The operating-system process id of a supervised program (e.g. {@code node2}), as supervisord reports it. */
    long pid(String program) {
        return Long.parseLong(supervisorctl("pid", program).trim());
    }

    /** Runs {@code supervisorctl ARGS} against this cluster's supervisord (e.g. {@code stop redis}). */
    String supervisorctl(String... args) {
        List<String> command = new ArrayList<>(List.of("supervisorctl", "-c",
                dir.resolve("conf/supervisord.conf").toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Whether node n answers its readiness probe with 200 now. */
    boolean ready(int n) {
        try {
            return node(n).get("/actuator/health/readiness").status() == 200;
        } catch (IllegalStateException notListening) {
            return false;
        }
    }

    /** Runs {@code ./taskmesh ARGS} against this cluster; fails with its output unless it exits 0. */
    String taskmesh(String... args) {
        return taskmeshWithin(COMMAND_LIMIT, args);
    }

    /** {@link #taskmesh} for a command that may take longer (e.g. a rolling restart of every node). */
    String taskmeshWithin(Duration limit, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("taskmesh").toString());
        command.addAll(List.of(args));
        return run(command, limit);
    }

    private String run(List<String> command) {
        return run(command, COMMAND_LIMIT);
    }

    private String run(List<String> command, Duration limit) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("TASKMESH_CLUSTER_DIR", dir.toString());
            env.put("TASKMESH_CLUSTER_PORT_BASE", Integer.toString(portBase));
            env.put("TASKMESH_CLUSTER_REDIS_PORT", Integer.toString(redisPort));
            env.put("TASKMESH_CLUSTER_STORE_PORT", Integer.toString(storePort));
            // Quick start-up matters more than peak speed in a test on a small machine.
            env.put("TASKMESH_NODE_JAVA_OPTS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            env.put("TASKMESH_CLUSTER_START_TIMEOUT", "420");
            Files.writeString(output, "\n$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            long from = Files.size(output);
            // Streamed to the file, so `tail -f server/target/cluster-it.log` shows the progress.
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            Process process = builder.start();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit
                        + "\n" + logs());
            }
            byte[] all = Files.readAllBytes(output);
            String text = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + text + "\n" + logs());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of NGINX's access log (each names the upstream(s) that answered). */
    List<String> nginxAccessLog() throws IOException {
        return Files.readAllLines(dir.resolve("logs/nginx-access.log"), StandardCharsets.UTF_8);
    }

    /** The last lines of every log of the cluster, for failure messages. */
    String logs() {
        Path logs = dir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "(no logs in " + logs + ")";
        }
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                text.append("--- ").append(file.getFileName()).append(" (last 30 lines) ---\n");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> text.append(l).append('\n'));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            text.append("(could not read the logs: ").append(e).append(")\n");
        }
        return text.toString();
    }

    @Override
    public void close() {
        String before = logs();
        try {
            taskmesh("cluster", "down", "--purge");
        } catch (RuntimeException | AssertionError e) {
            System.err.println("could not bring the test cluster down: " + e + "\n" + before);
            throw e;
        }
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
