package io.taskmesh.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * A non-unique index kept in memory: value of the index's leading field → documents with that value.
 * mongo-java-server ignores non-unique indexes, so without this every query is a collection scan.
 *
 * <p>It serves queries that pin the leading field to plain values: {@code {field: v}},
 * {@code {field: {$eq: v}}} or {@code {field: {$in: [v, ...]}}}, at the top level or inside a
 * top-level {@code $and}, where every v is a string, boolean or ObjectId. Every other query is left to
 * the full scan. For compound indexes only the leading field is used. Arrays (including paths through
 * arrays of subdocuments such as {@code members.userId}) are indexed under each element. The
 * collection still matches every candidate against the whole query, so the index only has to return a
 * superset of the matches; documents whose value it cannot classify (nested arrays, subdocuments) are
 * returned for every lookup.
 *
 * <p>Documents are identified by their {@code _id}; candidates come back in {@code _id} order. The
 * index is derived data: it is built from the documents when the store opens.
 */
final class EqualityIndex extends Index<Object> {

    private static final String ID_FIELD = "_id";

    /** Lookups per index ({@code database.collection.indexName}); lets tests see that an index was used. */
    private static final Map<String, AtomicLong> LOOKUPS = new ConcurrentHashMap<>();

    private final String qualifiedName;
    private final String field;
    /** Indexed value → (_id → position). */
    private final Map<Object, TreeMap<Object, Object>> byValue = new HashMap<>();
    /** _id → position of every document in the index. */
    private final Map<Object, Object> positions = new HashMap<>();
    /** _id → position of documents to return for every lookup. */
    private final TreeMap<Object, Object> unclassified = new TreeMap<>(ValueComparator.asc());
    /** Set when a document without an _id was added: the index then handles no query. */
    private boolean unusable;

    EqualityIndex(String qualifiedName, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.qualifiedName = qualifiedName;
        this.field = keys.get(0).getKey();
    }

    static long lookups(String database, String collection, String indexName) {
        AtomicLong count = LOOKUPS.get(database + "." + collection + "." + indexName);
        return count == null ? 0 : count.get();
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not unique: the _id index locates documents
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // no constraint
    }

    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        Object id = document.get(ID_FIELD);
        if (Missing.isNullOrMissing(id)) {
            unusable = true;
            return;
        }
        positions.put(id, position);
        Keys keys = keysOf(document);
        for (Object value : keys.values) {
            byValue.computeIfAbsent(value, v -> new TreeMap<>(ValueComparator.asc())).put(id, position);
        }
        if (keys.unclassified) {
            unclassified.put(id, position);
        }
    }

    @Override
    public synchronized Object remove(Document document) {
        Object id = document.get(ID_FIELD);
        if (Missing.isNullOrMissing(id)) {
            return null;
        }
        Object position = positions.remove(id);
        if (position == null) {
            return null;
        }
        for (Object value : keysOf(document).values) {
            TreeMap<Object, Object> ids = byValue.get(value);
            if (ids != null) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    byValue.remove(value);
                }
            }
        }
        unclassified.remove(id);
        return position;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // no constraint
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
            MongoCollection<Object> collection) {
        if (keysOf(oldDocument).equals(keysOf(newDocument))
                && java.util.Objects.equals(oldDocument.get(ID_FIELD), newDocument.get(ID_FIELD))) {
            return;
        }
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return !unusable && queriedValues(query) != null;
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        LOOKUPS.computeIfAbsent(qualifiedName, k -> new AtomicLong()).incrementAndGet();
        Set<Object> values = queriedValues(query);
        if (values == null) {
            throw new IllegalArgumentException("index " + getName() + " cannot serve " + query);
        }
        TreeMap<Object, Object> candidates = new TreeMap<>(ValueComparator.asc());
        for (Object value : values) {
            TreeMap<Object, Object> ids = byValue.get(value);
            if (ids != null) {
                candidates.putAll(ids);
            }
        }
        candidates.putAll(unclassified);
        // A copy: the caller streams the positions after the lock is released.
        return List.copyOf(candidates.values());
    }

    @Override
    public synchronized long getCount() {
        return positions.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public synchronized void drop() {
        byValue.clear();
        positions.clear();
        unclassified.clear();
    }

    /** The values the query pins the leading field to, or {@code null} if it does not pin it to plain values. */
    private Set<Object> queriedValues(Document query) {
        if (query.containsKey(field)) {
            Set<Object> values = plainValues(query.get(field));
            if (values != null) {
                return values;
            }
        }
        Object and = query.get("$and");
        if (and instanceof Collection<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document conjunct) {
                    Set<Object> values = queriedValues(conjunct);
                    if (values != null) {
                        return values;
                    }
                }
            }
        }
        return null;
    }

    private static Set<Object> plainValues(Object condition) {
        if (isPlain(condition)) {
            return Set.of(condition);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            if (operators.containsKey("$eq") && isPlain(operators.get("$eq"))) {
                return Set.of(operators.get("$eq"));
            }
            if (operators.get("$in") instanceof Collection<?> list && !list.isEmpty()) {
                Set<Object> values = new HashSet<>();
                for (Object value : list) {
                    if (!isPlain(value)) {
                        return null;
                    }
                    values.add(value);
                }
                return values;
            }
        }
        return null;
    }

    /** Types whose query equality is plain {@code equals} (no numeric widening, no regex, no null semantics). */
    private static boolean isPlain(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof ObjectId;
    }

    private Keys keysOf(Document document) {
        Object value = Utils.getSubdocumentValueCollectionAware(document, field);
        Keys keys = new Keys();
        if (value instanceof Collection<?> elements) {
            for (Object element : elements) {
                keys.add(element);
            }
        } else {
            keys.add(value);
        }
        return keys;
    }

    /** The plain values a document has in the field, and whether it has values the index cannot classify. */
    private static final class Keys {
        final Set<Object> values = new HashSet<>();
        boolean unclassified;

        void add(Object value) {
            if (isPlain(value)) {
                values.add(value);
            } else if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
                unclassified = true;
            }
            // null, missing, numbers, dates...: never match a plain-value query
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Keys keys && keys.values.equals(values) && keys.unclassified == unclassified;
        }

        @Override
        public int hashCode() {
            return values.hashCode();
        }
    }
}
