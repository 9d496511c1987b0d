package io.taskmesh.store;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Write commands run one at a time, and no write runs during a commit. MVStore saves a commit's
 * pages on the committing thread when its background writer is off; a write from another connection
 * that replaced one of those pages while they were being saved made the commit wait for its own
 * chunk, forever, and the store stopped answering (seen under the cluster's mixed load). Reads still
 * run in parallel: they replace no pages.
 *
 * <p>Commits are grouped: a write that finds its changes already committed by the commit of another
 * write answers at once, so the writes that queued during one commit share the next one. A commit
 * rewrites every page its changes touched and the pages above them, which writes to different
 * lists share.
 *
 * <p>Its databases also build the non-unique indexes ({@link IndexedH2Database}), which also serve
 * an aggregation's leading {@code $match} ({@link OrderedH2Collection#withLeadingMatch}).
 */
final class DurableH2Backend extends H2Backend {

    private static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes",
            "drop", "dropdatabase", "create", "renamecollection");

    private final ReentrantLock oneWriter = new ReentrantLock();
    /** One commit at a time; a writer waits here for a commit that includes its changes. */
    private final ReentrantLock oneCommitter = new ReentrantLock();
    /** Writes applied, counted under {@link #oneWriter}. */
    private long applied;
    /** Writes a commit has included, counted under {@link #oneCommitter}. */
    private long committed;
    private final AtomicLong commits = new AtomicLong();

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
        Document response;
        long write;
        oneWriter.lock();
        try {
            response = super.handleCommand(channel, databaseName, command, query);
            write = ++applied;
        } finally {
            oneWriter.unlock();
        }
        if (!isInMemory()) {
            commitUpTo(write);
        }
        return response;
    }

    /** Returns once a commit that includes the given write has been written. */
    private void commitUpTo(long write) {
        oneCommitter.lock();
        try {
            if (committed >= write) {
                return;
            }
            oneWriter.lock();
            try {
                long upTo = applied;
                commit();
                committed = upTo;
                commits.incrementAndGet();
            } finally {
                oneWriter.unlock();
            }
        } finally {
            oneCommitter.unlock();
        }
    }

    /** Commits made for writes so far (the tests see that they are shared). */
    long commits() {
        return commits.get();
    }
}
