package io.taskmesh.store;

import java.util.List;

import org.springframework.data.mongodb.core.index.IndexDefinition;

/** The indexes a feature needs on one collection; declared as a bean and created at start-up. */
public record CollectionIndexes(String collection, List<IndexDefinition> indexes) {

    public static CollectionIndexes of(String collection, IndexDefinition... indexes) {
        return new CollectionIndexes(collection, List.of(indexes));
    }
}
