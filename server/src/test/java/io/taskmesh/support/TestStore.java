package io.taskmesh.support;

import java.util.UUID;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Points the tests at an external MongoDB when {@code TASKMESH_TEST_MONGODB_URI} is set (each test
 * run gets its own database); otherwise they use the embedded store in memory.
 */
public class TestStore implements EnvironmentPostProcessor {

    public static final String VARIABLE = "TASKMESH_TEST_MONGODB_URI";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("taskmesh.test.node")) {
            return; // a node of TwoNodes: the cluster chose the shared store
        }
        String uri = System.getenv(VARIABLE);
        if (uri == null || uri.isBlank()) {
            environment.getPropertySources().addFirst(new MapPropertySource("test-store",
                    Map.of("taskmesh.store.in-memory", "true")));
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("test-store", Map.of(
                "taskmesh.store.mongodb-uri", uri,
                "taskmesh.store.database", "taskmesh_test_" + UUID.randomUUID().toString().substring(0, 8))));
    }
}
