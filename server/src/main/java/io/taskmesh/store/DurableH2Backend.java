package io.taskmesh.store;

import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * H2 backend that commits the MVStore before a write is acknowledged.
 *
 * <p>By default MVStore only writes its in-memory changes to the file from a background thread
 * about once a second, so a {@code kill -9} loses the last second of acknowledged writes. Here
 * the store is opened with auto-commit off and every write command commits (writes its chunk to
 * the file) before the reply goes back to the driver. The file data then sits in the OS page
 * cache, which survives the death of the process.
 *
 * <p>Write commands run one at a time, each with its commit. MVStore saves a commit's pages on the
 * committing thread when its background writer is off; a write from another connection that
 * replaced one of those pages while they were being saved made the commit wait for its own chunk,
 * forever, and the store stopped answering (seen under the cluster's mixed load). Reads still run
 * in parallel: they replace no pages.
 *
 * <p>Its databases also build the non-unique indexes ({@link IndexedH2Database}), which also serve
 * an aggregation's leading {@code $match} ({@link OrderedH2Collection#withLeadingMatch}).
 */
final class DurableH2Backend extends H2Backend {

    private static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes",
            "drop", "dropdatabase", "create", "renamecollection");

    private final ReentrantLock oneWriter = new ReentrantLock();

    DurableH2Backend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return IndexedH2Database.open(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if ("aggregate".equalsIgnoreCase(command)) {
            return OrderedH2Collection.withLeadingMatch(databaseName, query,
                    () -> super.handleCommand(channel, databaseName, command, query));
        }
        if (!WRITE_COMMANDS.contains(command.toLowerCase(java.util.Locale.ROOT))) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        oneWriter.lock();
        try {
            Document response = super.handleCommand(channel, databaseName, command, query);
            if (!isInMemory()) {
                commit();
            }
            return response;
        } finally {
            oneWriter.unlock();
        }
    }
}
