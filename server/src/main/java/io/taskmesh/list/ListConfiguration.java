package io.taskmesh.list;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.taskmesh.store.CollectionIndexes;

/** Indexes of the list feature. */
@Configuration(proxyBeanMethods = false)
class ListConfiguration {

    @Bean
    CollectionIndexes listIndexes() {
        return Lists.indexes();
    }
}
