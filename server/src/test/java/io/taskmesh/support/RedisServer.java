package io.taskmesh.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, for tests.
 * It can be killed and started again on the same port to test outages. Needs Debian's
 * redis-server on the PATH ({@code ./taskmesh test} installs it).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(10);

    private final int port;
    private final Path log;
    private final List<String> command;
    private Process process;

    private RedisServer(int port, List<String> leading, List<String> trailing) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("taskmesh-test-redis-" + port + "-", ".log");
        command = new ArrayList<>(List.of("redis-server"));
        command.addAll(leading);
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--dir", log.getParent().toString(), "--dbfilename", rdbFile().getFileName().toString()));
        command.addAll(trailing);
    }

    /** Starts redis-server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        return start(List.of(), List.of("--save", "", "--appendonly", "no"));
    }

    /** Starts a replica of {@code primary}. */
    public static RedisServer replicaOf(RedisServer primary) {
        return start(List.of(), List.of("--save", "", "--appendonly", "no", "--replicaof", "127.0.0.1",
                Integer.toString(primary.port)));
    }

    /**
     * Starts a Sentinel that watches {@code primary} under {@code masterName} (quorum 1, so that one
     * Sentinel may fail over; it finds the replicas itself).
     */
    public static RedisServer sentinel(RedisServer primary, String masterName) {
        try {
            Path config = Files.createTempFile("taskmesh-test-sentinel-", ".conf");
            Files.writeString(config, String.join("\n",
                    "sentinel monitor " + masterName + " 127.0.0.1 " + primary.port + " 1",
                    "sentinel down-after-milliseconds " + masterName + " 2000",
                    "sentinel failover-timeout " + masterName + " 10000", ""));
            return start(List.of(config.toString(), "--sentinel"), List.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RedisServer start(List<String> leading, List<String> trailing) {
        try {
            RedisServer server = new RedisServer(freePort(), leading, trailing);
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** (Re)starts the process on the same port; returns once it answers PING. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running on " + port);
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (install it: apt-get install redis-server): "
                    + e.getMessage(), e);
        }
        Deadline.await("redis-server on port " + port + " to answer PING (log: " + log + ")", START_LIMIT,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("redis-server exited with " + process.exitValue() + "; log: " + log);
                    }
                    return ping();
                });
    }

    /** Kills the process (SIGKILL), as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("redis-server did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True when the server answers PING with PONG. */
    public boolean ping() {
        try {
            return inlineCommand("PING").equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes the server hold every write command (reads are still answered) for {@code duration},
     * as a stalled primary would: clients that write wait, and time out.
     */
    public void pauseWrites(Duration duration) {
        try {
            String reply = inlineCommand("CLIENT PAUSE " + duration.toMillis() + " WRITE");
            if (!reply.equals("+OK")) {
                throw new AssertionError("CLIENT PAUSE answered " + reply);
            }
        } catch (IOException e) {
            throw new AssertionError("could not pause redis-server on " + port + ": " + e, e);
        }
    }

    /**
     * Sends one inline command (e.g. {@code INFO replication}, {@code SENTINEL FAILOVER m}) and
     * returns the first line of the reply; for a bulk string, the string itself.
     */
    public String command(String command) {
        try {
            return inlineCommand(command);
        } catch (IOException e) {
            // Unchecked, not an AssertionError: a server that a failover is reconfiguring drops
            // connections for a moment, and Deadline.await retries runtime exceptions.
            throw new java.io.UncheckedIOException("redis-server on " + port + " did not answer " + command, e);
        }
    }

    /** Sends one inline command on a new connection and returns the first line of the reply (a bulk string whole). */
    private String inlineCommand(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() > 1 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
                return new String(in.readNBytes(Integer.parseInt(line.substring(1))), StandardCharsets.UTF_8);
            }
            return line.toString();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Files.deleteIfExists(rdbFile());
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }

    /** Where a replica or a failover makes this server write its snapshot. */
    private Path rdbFile() {
        return log.resolveSibling("taskmesh-test-redis-" + port + ".rdb");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
