package io.taskmesh.store;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** Creates every declared index before the node starts serving. Creating an existing index is a no-op. */
@Component
class IndexCreator implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(IndexCreator.class);

    private final MongoTemplate mongo;
    private final List<CollectionIndexes> declarations;

    IndexCreator(MongoTemplate mongo, List<CollectionIndexes> declarations) {
        this.mongo = mongo;
        this.declarations = declarations;
    }

    @Override
    public void afterSingletonsInstantiated() {
        int count = 0;
        for (CollectionIndexes declaration : declarations) {
            var ops = mongo.indexOps(declaration.collection());
            for (var index : declaration.indexes()) {
                ops.createIndex(index);
                count++;
            }
        }
        log.info("Ensured {} indexes on {} collections", count, declarations.size());
    }
}
