package io.taskmesh.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar taskmesh-server.jar store --port 27017 --data-dir ./data}: runs only the embedded
 * MongoDB-wire store on a TCP port, without the web application, so that several API nodes can
 * share it (the local cluster's database when no real {@code mongod} is installed). Spring does not
 * start; SIGTERM (or Ctrl-C) commits and closes the store file through a shutdown hook.
 */
public final class StoreServer {

    static final String USAGE = """
            Usage: java -jar taskmesh-server.jar store [--port PORT] [--host HOST] [--data-dir DIR]
              --port      TCP port to listen on (default 27017; 0 = any free port)
              --host      address to bind (default 127.0.0.1)
              --data-dir  directory of the store file taskmesh.mv (default $TASKMESH_DATA_DIR or ./data)
            """;

    private StoreServer() {
    }

    /** Runs until the JVM is asked to stop; returns the exit status for bad arguments. */
    public static int run(String[] args) {
        // Logging without Spring: plain lines, INFO, and the store library's per-command chatter off.
        System.setProperty("logback.configurationFile", "logback-store.xml");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            PrintStream err = System.err;
            err.println("taskmesh store: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options == null) {
            System.out.print(USAGE);
            return 0;
        }
        EmbeddedMongoStore store;
        try {
            store = EmbeddedMongoStore.open(options.dataDir(), options.host(), options.port());
        } catch (Exception e) { // Netty rethrows a BindException unchecked
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("taskmesh store: cannot open the store in " + options.dataDir() + " on "
                    + options.host() + ":" + options.port() + ": " + cause
                    + " (is another store running there? choose another --port or --data-dir)");
            return 1;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            closed.countDown();
        }, "store-shutdown"));
        org.slf4j.LoggerFactory.getLogger(StoreServer.class).info(
                "Taskmesh store listening on {} (MongoDB wire protocol), data in {}; SIGTERM stops it",
                store.connectionString(), store.file());
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    record Options(String host, int port, Path dataDir) {

        /** The options, or {@code null} when help was asked for. */
        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 27017;
            String env = System.getenv("TASKMESH_DATA_DIR");
            Path dataDir = Path.of(env == null || env.isBlank() ? "./data" : env);
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    return null;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + arg);
                }
                String value = args[++i];
                switch (arg) {
                    case "--port" -> port = parsePort(value);
                    case "--host" -> host = value;
                    case "--data-dir" -> dataDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return new Options(host, port, dataDir);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + value + "'");
        }
    }
}
