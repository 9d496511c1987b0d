package io.taskmesh.store;

import java.util.List;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;

/**
 * H2 database whose non-unique indexes are {@link EqualityIndex}es instead of the library's no-op
 * placeholder. The index descriptions are stored by the library as before; when the database opens it
 * recreates each index, which fills it from the documents.
 */
final class IndexedH2Database extends H2Database {

    IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    // Called from the superclass constructor (when it reopens stored indexes): must not use fields of this class.
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        return new EqualityIndex(databaseName + "." + collectionName + "." + indexName, indexName, keys, sparse);
    }
}
