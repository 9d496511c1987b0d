package io.taskmesh.store;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Taskmesh keeps its data: an external MongoDB when {@code uri} is set, otherwise the
 * embedded MongoDB-wire store persisted under {@code dataDir}.
 */
@ConfigurationProperties("taskmesh.store")
public record StoreProperties(
        String mongodbUri,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("taskmesh") String database,
        @DefaultValue("false") boolean inMemory) {

    public boolean embedded() {
        return mongodbUri == null || mongodbUri.isBlank();
    }
}
