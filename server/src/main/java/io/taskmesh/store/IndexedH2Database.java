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
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;

/**
 * H2 database whose non-unique indexes are {@link EqualityIndex}es instead of the library's no-op
 * placeholder, and whose collections answer sorted queries from them ({@link OrderedH2Collection}). The
 * index descriptions are stored by the library as before; when the database opens it recreates each
 * index, which fills it from the documents. Unique indexes stay in the store file, with their keys in
 * {@link StoreDataType}'s form ({@link #uniqueIndexMap}).
 */
final class IndexedH2Database extends H2Database {

    /**
     * The store of the database being constructed: the superclass constructor opens the collections,
     * before a field of this class could hold it.
     */
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

    /**
     * Which unique indexes' maps hold their keys in {@link StoreDataType}'s order: map name to
     * {@link #KEYS_IN_VALUE_ORDER}. A database's name cannot contain {@code $}, so no database's maps
     * can be confused with it.
     */
    static final String FORMATS_MAP = "$taskmesh.formats";
    static final String KEYS_IN_VALUE_ORDER = "keys in value order";

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

    /** The store, also while the superclass constructor runs, before {@link #mvStore} is set. */
    private MVStore store() {
        return mvStore != null ? mvStore : OPENING.get();
    }

    // The map names are the library's (H2Database), so stores written before stay readable.
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        MVStore store = store();
        String fullName = getFullCollectionNamespace(collectionName);
        @SuppressWarnings({"unchecked", "rawtypes"})
        MVMap<Object, Document> documents = (MVMap) store.openMap("databases." + fullName,
                new MVMap.Builder<Object, Object>().keyType(new StoreDataType()).valueType(new StoreDataType()));
        return new OrderedH2Collection(this, collectionName, options, documents, store.openMap("meta." + fullName),
                cursorRegistry);
    }

    // Called from the superclass constructor (when it reopens stored indexes): must not use fields of this class.
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        MVStore store = store();
        // The library's map name, so that its dropIndex and drop remove the map as before.
        String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        return new StoreUniqueIndex(uniqueIndexMap(store, mapName), indexName, keys, sparse);
    }

    /**
     * The map of a unique index, its keys written and ordered by {@link StoreDataType}. A map that
     * earlier versions wrote (Java serialization, ordered by the serialized bytes) is copied once into a
     * new map in the new order, which then takes its name; the copy is committed with the next write,
     * so a crash before that leaves the old map to be copied again at the next start.
     */
    static MVMap<KeyValue, Object> uniqueIndexMap(MVStore store, String mapName) {
        MVMap<String, String> formats = store.openMap(FORMATS_MAP);
        MVMap.Builder<KeyValue, Object> inValueOrder = new MVMap.Builder<KeyValue, Object>()
                .keyType(new StoreDataType()).valueType(new StoreDataType());
        if (!KEYS_IN_VALUE_ORDER.equals(formats.get(mapName)) && store.hasMap(mapName)) {
            MVMap<KeyValue, Object> written = store.openMap(mapName);
            String copyName = mapName + ".copy";
            if (store.hasMap(copyName)) {
                store.removeMap(copyName);
            }
            MVMap<KeyValue, Object> copy = store.openMap(copyName, inValueOrder);
            written.forEach(copy::put);
            store.removeMap(written);
            store.renameMap(copy, mapName);
        }
        formats.put(mapName, KEYS_IN_VALUE_ORDER);
        return store.openMap(mapName, inValueOrder);
    }

    // Called from the superclass constructor (when it reopens stored indexes): must not use fields of this class.
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        return new EqualityIndex(databaseName + "." + collectionName + "." + indexName, indexName, keys, sparse);
    }
}
