package io.taskmesh.store;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * H2 collection that answers a sorted query from an index already in that order
 * ({@link EqualityIndex#positionsInOrder}): it reads documents in order and stops once skip and limit
 * are satisfied, where the library reads, matches and sorts every candidate first.
 */
final class OrderedH2Collection extends H2Collection {

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
}
