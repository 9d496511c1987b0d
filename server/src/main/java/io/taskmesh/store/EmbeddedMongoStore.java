package io.taskmesh.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;

/**
 * The in-process MongoDB-wire server used when no external MongoDB is configured. It speaks the
 * MongoDB protocol on a loopback port, so the application uses the same driver code as against
 * a real cluster.
 */
public final class EmbeddedMongoStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoStore.class);

    private final MongoServer server;
    private final DurableH2Backend backend;
    private final InetSocketAddress address;
    private final Path file;

    private EmbeddedMongoStore(DurableH2Backend backend, Path file, String host, int port) {
        this.backend = backend;
        this.file = file;
        backend.version(ServerVersion.MONGO_5_0);
        this.server = new MongoServer(backend);
        server.bind(host, port);
        this.address = server.getLocalAddress();
    }

    /** Opens (or creates) the store file under {@code dataDir} and listens on {@code host:port} (0 = any free port). */
    public static EmbeddedMongoStore open(Path dataDir, String host, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + dataDir.toAbsolutePath()
                    + "; set TASKMESH_DATA_DIR to a writable directory", e);
        }
        Path file = dataDir.resolve("taskmesh.mv").toAbsolutePath();
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .compress()
                .open();
        return new EmbeddedMongoStore(new DurableH2Backend(store), file, host, port);
    }

    /** A store that keeps everything in memory (tests of pure logic, throw-away runs). */
    public static EmbeddedMongoStore inMemory() {
        MVStore store = new MVStore.Builder().autoCommitDisabled().open();
        return new EmbeddedMongoStore(new DurableH2Backend(store), null, "127.0.0.1", 0);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** The file holding the data, or {@code null} in memory. */
    public Path file() {
        return file;
    }

    /** Commits written for writes so far; concurrent writes share them (tests). */
    long commits() {
        return backend.commits();
    }

    /** Stops as a {@code kill -9} would: what is not committed is not in the file (tests). */
    void closeWithoutCommit() {
        backend.getMvStore().closeImmediately();
        server.shutdownNow();
    }

    @Override
    public void close() {
        log.info("Closing embedded store {}", file == null ? "(in memory)" : file);
        // Also closes the backend, which commits and closes the MVStore file.
        server.shutdownNow();
    }
}
