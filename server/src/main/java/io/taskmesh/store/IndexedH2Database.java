package io.taskmesh.store;

import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;

/**
 * H2 database whose non-unique indexes are {@link EqualityIndex}es instead of the library's no-op
 * placeholder, and whose collections answer sorted queries from them ({@link OrderedH2Collection}). The
 * index descriptions are stored by the library as before; when the database opens it recreates each
 * index, which fills it from the documents.
 */
final class IndexedH2Database extends H2Database {

    /**
     * The store of the database being constructed: the superclass constructor opens the collections,
     * before a field of this class could hold it.
     */
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

    private final MVStore mvStore;

    private IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
        this.mvStore = mvStore;
    }

    static IndexedH2Database open(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        OPENING.set(mvStore);
        try {
            return new IndexedH2Database(databaseName, mvStore, cursorRegistry);
        } finally {
            OPENING.remove();
        }
    }

    // The map names are the library's (H2Database), so stores written before stay readable.
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        MVStore store = mvStore != null ? mvStore : OPENING.get();
        String fullName = getFullCollectionNamespace(collectionName);
        @SuppressWarnings({"unchecked", "rawtypes"})
        MVMap<Object, Document> documents = (MVMap) store.openMap("databases." + fullName,
                new MVMap.Builder<Object, Object>().keyType(new StoreDataType()).valueType(new StoreDataType()));
        return new OrderedH2Collection(this, collectionName, options, documents, store.openMap("meta." + fullName),
                cursorRegistry);
    }

    // Called from the superclass constructor (when it reopens stored indexes): must not use fields of this class.
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        return new EqualityIndex(databaseName + "." + collectionName + "." + indexName, indexName, keys, sparse);
    }
}
