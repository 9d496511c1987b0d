package io.taskmesh.store;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * H2 collection that answers a sorted query from an index already in that order
 * ({@link EqualityIndex#positionsInOrder}): it reads documents in order and stops once skip and limit
 * are satisfied, where the library reads, matches and sorts every candidate first. An aggregation
 * that starts with a {@code $match} an index serves reads that index's candidates
 * ({@link #withLeadingMatch}); the library would read the whole collection into a list first (the
 * counts of one user's lists read every task of every user, and ran the store out of memory). If the
 * pipeline is a {@code $match} then a {@code $group} that read only the fields of a compound index, the
 * documents come from that index ({@link EqualityIndex#coveredDocuments}) and none is read.
 */
final class OrderedH2Collection extends H2Collection {

    /** The leading {@code $match} of the aggregation this thread runs, until its collection reads it. */
    private static final ThreadLocal<LeadingMatch> LEADING_MATCH = new ThreadLocal<>();

    /** {@code fieldsRead}: the document fields the pipeline reads, or {@code null} if it may read others. */
    private record LeadingMatch(String collection, Document match, Set<String> fieldsRead) {
    }

    OrderedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    // Every caller that passes a sort holds this collection's lock (handleQuery, findAndModify), as the
    // live view of positionsInOrder requires.
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
            Document fieldSelector) {
        if (orderBy != null && !orderBy.isEmpty()) {
            for (Index<Object> index : getIndexes()) {
                if (index instanceof EqualityIndex equality) {
                    Iterable<Object> positions = equality.positionsInOrder(query, orderBy);
                    if (positions != null) {
                        Stream<Document> documents = StreamSupport.stream(positions.spliterator(), false)
                                .map(this::getDocument);
                        return matchDocumentsFromStream(query, documents, numberToSkip, limit, batchSize, null,
                                fieldSelector);
                    }
                }
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Runs an {@code aggregate} command whose first stage, if it is a {@code $match}, may be served by an index. */
    static Document withLeadingMatch(String databaseName, Document command, Supplier<Document> aggregate) {
        if (command.get("aggregate") instanceof String collection && command.get("pipeline") instanceof List<?> stages
                && !stages.isEmpty() && stages.get(0) instanceof Document first && first.size() == 1
                && first.get("$match") instanceof Document match) {
            LEADING_MATCH.set(new LeadingMatch(databaseName + "." + collection, match, fieldsRead(stages)));
        }
        try {
            return aggregate.get();
        } finally {
            LEADING_MATCH.remove();
        }
    }

    /**
     * The document fields a pipeline reads if it is a {@code $match} then a {@code $group} (later stages
     * read only the groups), or {@code null}. A {@code $match} names fields as keys, through
     * {@code $and}, {@code $or} and {@code $nor}; any other operator at its top ({@code $expr}...) gives
     * {@code null}. An expression names fields as {@code "$path"} strings only; variables
     * ({@code "$$ROOT"}...) give {@code null}.
     */
    static Set<String> fieldsRead(List<?> stages) {
        if (stages.size() < 2 || !(stages.get(0) instanceof Document first) || !(first.get("$match") instanceof Document match)
                || !(stages.get(1) instanceof Document second) || second.size() != 1
                || !(second.get("$group") instanceof Document group)) {
            return null;
        }
        Set<String> fields = new HashSet<>();
        return queryFields(match, fields) && expressionFields(group.values(), fields) ? fields : null;
    }

    private static boolean queryFields(Document query, Set<String> fields) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            if (!condition.getKey().startsWith("$")) {
                fields.add(condition.getKey());
            } else if (!List.of("$and", "$or", "$nor").contains(condition.getKey())
                    || !(condition.getValue() instanceof Collection<?> parts)
                    || !parts.stream().allMatch(part -> part instanceof Document d && queryFields(d, fields))) {
                return false;
            }
        }
        return true;
    }

    private static boolean expressionFields(Object expression, Set<String> fields) {
        if (expression instanceof String path && path.startsWith("$")) {
            if (path.startsWith("$$")) {
                return false;
            }
            fields.add(path.substring(1));
            return true;
        }
        if (expression instanceof Document operators) {
            return expressionFields(operators.values(), fields);
        }
        return !(expression instanceof Collection<?> parts)
                || parts.stream().allMatch(part -> expressionFields(part, fields));
    }

    // The aggregation's first read of its own collection takes the pending $match (a superset of its
    // documents: the $match stage still filters them); any later read, a $lookup's say, reads everything.
    @Override
    public Stream<Document> queryAllAsStream() {
        LeadingMatch pending = LEADING_MATCH.get();
        if (pending != null && pending.collection().equals(getFullName())) {
            LEADING_MATCH.remove();
            for (Index<Object> index : getIndexes()) {
                if (pending.fieldsRead() != null && index instanceof EqualityIndex equality) {
                    List<Document> covered = equality.coveredDocuments(pending.match(), pending.fieldsRead());
                    if (covered != null) {
                        return covered.stream();
                    }
                }
            }
            for (Index<Object> index : getIndexes()) {
                if (index instanceof EqualityIndex equality && equality.canHandle(pending.match())) {
                    return StreamSupport.stream(equality.getPositions(pending.match()).spliterator(), false)
                            .map(this::getDocument).filter(Objects::nonNull);
                }
            }
        }
        // One document at a time, where the library collects the whole collection in a list first.
        return streamAllDocumentsWithPosition().map(DocumentWithPosition::getDocument);
    }
}
