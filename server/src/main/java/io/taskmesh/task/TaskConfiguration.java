package io.taskmesh.task;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.taskmesh.store.CollectionIndexes;

/** Indexes of the task feature. */
@Configuration(proxyBeanMethods = false)
class TaskConfiguration {

    @Bean
    CollectionIndexes taskIndexes() {
        return Tasks.indexes();
    }
}
