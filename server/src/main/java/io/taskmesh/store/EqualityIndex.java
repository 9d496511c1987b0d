package io.taskmesh.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.PriorityQueue;
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
 *
 * <p>A compound index also keeps, for each value of its leading field, the documents in the order of
 * its other fields (then {@code _id}). A query that pins the leading field to one value and sorts by a
 * prefix of those fields ({@link #positionsInOrder}) then reads documents in order and stops at its
 * limit, instead of reading and sorting every document with that value: the first page of a list of
 * 100,000 tasks costs what the first page of a short list costs.
 */
final class EqualityIndex extends Index<Object> {

    private static final String ID_FIELD = "_id";
    private static final String ORDERED = "#ordered";
    private static final String READ = "#read";
    private static final String COVERED = "#covered";

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
    /** The fields after the leading one, then _id: the order of {@link #inOrder}. Empty for a single-field index. */
    private final List<IndexKey> orderKeys;
    /** The fields a read made from the index can give ({@link #coveredDocuments}); {@code null} if one is a path into subdocuments. */
    private final Set<String> coveredFields;
    private final Comparator<SortKey> order;
    /** Indexed value → documents in the order of {@link #orderKeys} (compound indexes only). */
    private final Map<Object, TreeMap<SortKey, Object>> inOrder = new HashMap<>();
    /** Documents left out of {@link #inOrder} because an ordering field holds an array or subdocument. */
    private int unordered;
    /** Documents whose leading field holds an array: a read made from the index could not give that array. */
    private int arrays;

    EqualityIndex(String qualifiedName, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.qualifiedName = qualifiedName;
        this.field = keys.get(0).getKey();
        if (keys.size() > 1) {
            List<IndexKey> rest = new ArrayList<>(keys.subList(1, keys.size()));
            rest.add(new IndexKey(ID_FIELD, true));
            this.orderKeys = List.copyOf(rest);
        } else {
            this.orderKeys = List.of();
        }
        Set<String> fields = new HashSet<>();
        keys.forEach(key -> fields.add(key.getKey()));
        fields.add(ID_FIELD);
        this.coveredFields = fields.stream().anyMatch(key -> key.contains(".")) ? null : Set.copyOf(fields);
        this.order = (a, b) -> {
            for (int i = 0; i < orderKeys.size(); i++) {
                int cmp;
                if (a.values[i] instanceof Bound || b.values[i] instanceof Bound) {
                    cmp = Integer.compare(Bound.rank(a.values[i]), Bound.rank(b.values[i]));
                } else {
                    ValueComparator comparator = orderKeys.get(i).isAscending() ? ValueComparator.asc() : ValueComparator.desc();
                    cmp = comparator.compare(a.values[i], b.values[i]);
                }
                if (cmp != 0) {
                    return cmp;
                }
            }
            return 0;
        };
    }

    static long lookups(String database, String collection, String indexName) {
        AtomicLong count = LOOKUPS.get(database + "." + collection + "." + indexName);
        return count == null ? 0 : count.get();
    }

    private static void countLookup(String name) {
        LOOKUPS.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    /** Of the {@link #lookups}, those that read the index in a query's sort order. */
    static long orderedLookups(String database, String collection, String indexName) {
        return lookups(database, collection, indexName + ORDERED);
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
        // When the store opens, the library passes the _id it decoded from the key as the position and
        // the document's own copy: keeping one instance saves an ObjectId per document and index.
        if (id.equals(position)) {
            id = position;
        }
        positions.put(id, position);
        Keys keys = keysOf(document);
        if (keys.array) {
            arrays++;
        }
        for (Object value : keys.values) {
            byValue.computeIfAbsent(value, v -> new TreeMap<>(ValueComparator.asc())).put(id, position);
        }
        SortKey sortKey = sortKeyOf(document);
        if (sortKey == null) {
            unordered++;
        } else if (!orderKeys.isEmpty()) {
            for (int i = 0; i < orderKeys.size(); i++) {
                if (orderKeys.get(i).getKey().equals(ID_FIELD)) {
                    sortKey.values[i] = id;
                }
            }
            for (Object value : keys.values) {
                inOrder.computeIfAbsent(value, v -> new TreeMap<>(order)).put(sortKey, position);
            }
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
        SortKey sortKey = sortKeyOf(document);
        if (sortKey == null) {
            unordered--;
        }
        Keys keys = keysOf(document);
        if (keys.array) {
            arrays--;
        }
        for (Object value : keys.values) {
            TreeMap<Object, Object> ids = byValue.get(value);
            if (ids != null) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    byValue.remove(value);
                }
            }
            TreeMap<SortKey, Object> ordered = sortKey == null ? null : inOrder.get(value);
            if (ordered != null) {
                ordered.remove(sortKey);
                if (ordered.isEmpty()) {
                    inOrder.remove(value);
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
                && Objects.equals(oldDocument.get(ID_FIELD), newDocument.get(ID_FIELD))
                && Objects.equals(sortKeyOf(oldDocument), sortKeyOf(newDocument))) {
            return;
        }
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return !unusable && queriedValues(conjuncts(query), field) != null;
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        countLookup(qualifiedName);
        Set<Object> values = queriedValues(conjuncts(query), field);
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

    /**
     * The positions of the documents the query can match, in the order {@code orderBy} asks for, ties in
     * {@code _id} order as after a sort of the {@link #getPositions} candidates; {@code null} when this
     * index cannot give that order. The query must pin the leading field to plain values (several are
     * merged, as MongoDB merges the index ranges of an {@code $in}); fields of the index that the query
     * pins to one plain value may be left out of {@code orderBy}; the others, down to {@code _id}, must be
     * named in the index's order, all in their direction or all reversed down to {@code _id}. String
     * bounds ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}) on the first field that is not pinned
     * narrow what is read: the Today view of five lists reads the tasks due by today, not every open task.
     * The result is a superset of the matches and a live view: iterate it under the collection's lock,
     * which every write to the index also holds.
     */
    synchronized Iterable<Object> positionsInOrder(Document query, Document orderBy) {
        if (unusable || orderKeys.isEmpty() || unordered > 0 || !unclassified.isEmpty()
                || orderBy == null || orderBy.isEmpty()) {
            return null;
        }
        List<Document> conjuncts = conjuncts(query);
        Set<Object> values = queriedValues(conjuncts, field);
        if (values == null) {
            return null;
        }
        Object[] pinned = new Object[orderKeys.size()];
        int free = 0;
        while (free < orderKeys.size() - 1
                && (pinned[free] = pinnedValue(conjuncts, orderKeys.get(free).getKey())) != null) {
            free++;
        }
        int direction = direction(orderBy, free);
        if (direction == 0) {
            return null;
        }
        countLookup(qualifiedName);
        countLookup(qualifiedName + ORDERED);
        SortKey low = bound(pinned, free, conjuncts, true);
        SortKey high = bound(pinned, free, conjuncts, false);
        List<NavigableMap<SortKey, Object>> ranges = new ArrayList<>();
        boolean empty = order.compare(low, high) > 0; // bounds such as "after 8 Dec, by 1 Dec" read nothing
        for (Object value : empty ? Set.of() : values) {
            TreeMap<SortKey, Object> ordered = inOrder.get(value);
            if (ordered != null) {
                NavigableMap<SortKey, Object> range = ordered.subMap(low, true, high, true);
                ranges.add(direction > 0 ? range : range.descendingMap());
            }
        }
        Comparator<SortKey> merge = direction > 0 ? order : order.reversed();
        AtomicLong reads = LOOKUPS.computeIfAbsent(qualifiedName + READ, k -> new AtomicLong());
        return () -> new MergedPositions(ranges, merge, reads);
    }

    /**
     * The direction in which the index gives {@code orderBy} (1 or -1), or 0 if it cannot: the sort names
     * the index's fields in order, each in its direction or all reversed, leaving out only fields the
     * query pins (the first {@code pinned}); what it leaves after its last field is at most {@code _id}
     * (which a sort's ties follow), and reversed it must end with {@code _id}.
     */
    private int direction(Document orderBy, int pinned) {
        int direction = 0;
        int next = 0;
        for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
            while (next < pinned && !orderKeys.get(next).getKey().equals(sort.getKey())) {
                next++; // a pinned field: constant among the candidates, so it may be left out
            }
            if (next >= orderKeys.size()) {
                return 0;
            }
            IndexKey key = orderKeys.get(next++);
            if (!key.getKey().equals(sort.getKey()) || !(sort.getValue() instanceof Number n) || n.intValue() == 0) {
                return 0;
            }
            int sign = Integer.signum(n.intValue()) * (key.isAscending() ? 1 : -1);
            if (direction != 0 && sign != direction) {
                return 0;
            }
            direction = sign;
        }
        for (int rest = next; rest < orderKeys.size(); rest++) {
            if (!orderKeys.get(rest).getKey().equals(ID_FIELD)) {
                return 0; // it would order the sort's ties, which a sort keeps in _id order
            }
        }
        // Reversed without _id, ties would come in descending _id order where a sort keeps them ascending.
        return direction < 0 && !orderKeys.get(next - 1).getKey().equals(ID_FIELD) ? 0 : direction;
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
        inOrder.clear();
        unordered = 0;
        arrays = 0;
        positions.clear();
        unclassified.clear();
    }

    /**
     * What a query that reads only this index's fields needs of the documents it matches, made from the
     * index alone, as MongoDB answers a covered query: for each value the query pins the leading field to,
     * {@code {leading: value, other fields of the index, _id}} in the index's order (a missing field
     * stays missing). A superset of the matches, like {@link #getPositions}. {@code null} when the index
     * cannot give them exactly: {@code fieldsRead} names a field it lacks, one of its fields is a path
     * into subdocuments, a leading field holds an array, or a document is left out of the order. The
     * counts of a list of 100,000 tasks then read no document.
     */
    synchronized List<Document> coveredDocuments(Document query, Set<String> fieldsRead) {
        if (unusable || orderKeys.isEmpty() || unordered > 0 || arrays > 0 || !unclassified.isEmpty()) {
            return null;
        }
        if (coveredFields == null || !coveredFields.containsAll(fieldsRead)) {
            return null;
        }
        Set<Object> values = queriedValues(conjuncts(query), field);
        if (values == null) {
            return null;
        }
        countLookup(qualifiedName);
        countLookup(qualifiedName + COVERED);
        List<Document> documents = new ArrayList<>();
        for (Object value : values) {
            TreeMap<SortKey, Object> ordered = inOrder.get(value);
            for (SortKey key : ordered == null ? Set.<SortKey>of() : ordered.keySet()) {
                Document document = new Document(field, value);
                for (int i = 0; i < orderKeys.size(); i++) {
                    if (!(key.values[i] instanceof Missing)) {
                        document.put(orderKeys.get(i).getKey(), key.values[i]);
                    }
                }
                documents.add(document);
            }
        }
        return documents;
    }

    /** Of the {@link #lookups}, those answered from the index alone ({@link #coveredDocuments}). */
    static long coveredLookups(String database, String collection, String indexName) {
        return lookups(database, collection, indexName + COVERED);
    }

    /** Documents read in order ({@link #positionsInOrder}) per index; lets tests see how far a query read. */
    static long orderedReads(String database, String collection, String indexName) {
        return lookups(database, collection, indexName + READ);
    }

    /**
     * One end of the range to read: the pinned values, then the string bound the query puts on the first
     * field that is not pinned (or the end of the index), then the end of the index for the other fields.
     */
    private SortKey bound(Object[] pinned, int free, List<Document> conjuncts, boolean lower) {
        Object[] values = new Object[orderKeys.size()];
        System.arraycopy(pinned, 0, values, 0, free);
        Arrays.fill(values, free, values.length, lower ? Bound.LOWEST : Bound.HIGHEST);
        if (orderKeys.get(free).isAscending()) {
            String limit = stringBound(conjuncts, orderKeys.get(free).getKey(), lower);
            if (limit != null) {
                values[free] = limit;
            }
        }
        return new SortKey(values);
    }

    /**
     * The tightest string bound the query's {@link #conjuncts} put on the field,
     * inclusive even for {@code $gt} and {@code $lt}: the collection matches every candidate anyway.
     */
    private static String stringBound(List<Document> conjuncts, String key, boolean lower) {
        String found = null;
        for (Document conjunct : conjuncts) {
            if (conjunct.get(key) instanceof Document operators) {
                for (String operator : lower ? List.of("$gt", "$gte") : List.of("$lt", "$lte")) {
                    if (operators.get(operator) instanceof String value
                            && (found == null || (lower ? value.compareTo(found) > 0 : value.compareTo(found) < 0))) {
                        found = value;
                    }
                }
            }
        }
        return found;
    }

    /** The one plain value the query's {@link #conjuncts} pin the field to, or {@code null}. */
    private static Object pinnedValue(List<Document> conjuncts, String key) {
        Set<Object> values = queriedValues(conjuncts, key);
        return values != null && values.size() == 1 ? values.iterator().next() : null;
    }

    /** The query and the conditions of its top-level {@code $and}, nested ones included: all must hold. */
    private static List<Document> conjuncts(Document query) {
        List<Document> conjuncts = new ArrayList<>();
        addConjuncts(query, conjuncts);
        return conjuncts;
    }

    private static void addConjuncts(Document query, List<Document> conjuncts) {
        conjuncts.add(query);
        if (query.get("$and") instanceof Collection<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document conjunct) {
                    addConjuncts(conjunct, conjuncts);
                }
            }
        }
    }

    /** The values the query's {@link #conjuncts} pin the field to, or {@code null} if they do not pin it to plain values. */
    private static Set<Object> queriedValues(List<Document> conjuncts, String key) {
        for (Document conjunct : conjuncts) {
            if (conjunct.containsKey(key)) {
                Set<Object> values = plainValues(conjunct.get(key));
                if (values != null) {
                    return values;
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
            keys.array = true;
            for (Object element : elements) {
                keys.add(element);
            }
        } else {
            keys.add(value);
        }
        return keys;
    }

    /** The document's values of {@link #orderKeys}, or {@code null} if one is an array or subdocument (no single place). */
    private SortKey sortKeyOf(Document document) {
        Object[] values = new Object[orderKeys.size()];
        for (int i = 0; i < values.length; i++) {
            Object value = Utils.getSubdocumentValueCollectionAware(document, orderKeys.get(i).getKey());
            if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
                return null;
            }
            values[i] = value;
        }
        return new SortKey(values);
    }

    /** The ends of a compound index's order, below and above every value, for the bounds of a range. */
    private enum Bound {
        LOWEST, HIGHEST;

        static int rank(Object value) {
            return value == LOWEST ? -1 : value == HIGHEST ? 1 : 0;
        }
    }

    /**
     * The positions of several ranges of the index, each in the sort's order, merged into that order;
     * a document found in more than one range (an array in the leading field) comes once.
     */
    private static final class MergedPositions implements Iterator<Object> {
        private final PriorityQueue<Head> heads;
        private final AtomicLong reads;
        private SortKey last;

        MergedPositions(List<NavigableMap<SortKey, Object>> ranges, Comparator<SortKey> order, AtomicLong reads) {
            this.heads = new PriorityQueue<>(Math.max(1, ranges.size()), (a, b) -> order.compare(a.entry.getKey(), b.entry.getKey()));
            this.reads = reads;
            for (NavigableMap<SortKey, Object> range : ranges) {
                advance(range.entrySet().iterator());
            }
        }

        private void advance(Iterator<Map.Entry<SortKey, Object>> range) {
            while (range.hasNext()) {
                Map.Entry<SortKey, Object> entry = range.next();
                if (!entry.getKey().equals(last)) {
                    heads.add(new Head(entry, range));
                    return;
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (!heads.isEmpty() && heads.peek().entry.getKey().equals(last)) {
                Head duplicate = heads.poll();
                advance(duplicate.range);
            }
            return !heads.isEmpty();
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Head head = heads.poll();
            last = head.entry.getKey();
            advance(head.range);
            reads.incrementAndGet();
            return head.entry.getValue();
        }

        private record Head(Map.Entry<SortKey, Object> entry, Iterator<Map.Entry<SortKey, Object>> range) {
        }
    }

    /** A document's place in a compound index's order; equal when every ordering value is equal. */
    private record SortKey(Object[] values) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SortKey key && Arrays.equals(values, key.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** The plain values a document has in the field, and whether it has values the index cannot classify. */
    private static final class Keys {
        final Set<Object> values = new HashSet<>();
        boolean unclassified;
        /** The field holds an array (indexed under each element). */
        boolean array;

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
            return other instanceof Keys keys && keys.values.equals(values) && keys.unclassified == unclassified
                    && keys.array == array;
        }

        @Override
        public int hashCode() {
            return values.hashCode();
        }
    }
}
