package io.taskmesh.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.taskmesh.TaskmeshApplication;
import io.taskmesh.store.EmbeddedMongoStore;

/**
 * A small cluster for tests: a real redis-server, one shared store (the embedded store in memory,
 * reached over TCP, or the MongoDB of {@code TASKMESH_TEST_MONGODB_URI}) and two API nodes, each a
 * whole application context on its own port with {@code taskmesh.redis.url} set. Started once per
 * test run and shared by every test class that uses this extension (they run one after another);
 * resolved as a test-method or constructor parameter.
 */
public final class TwoNodes implements BeforeAllCallback, ParameterResolver {

    /** The running cluster. */
    public static final class Cluster implements AutoCloseable {
        private final RedisServer redis;
        private final EmbeddedMongoStore store;
        private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

        Cluster() {
            redis = RedisServer.start();
            String external = System.getenv(TestStore.VARIABLE);
            store = external == null || external.isBlank() ? EmbeddedMongoStore.inMemory() : null;
            String uri = store != null ? store.connectionString() : external;
            String database = "taskmesh_nodes_" + UUID.randomUUID().toString().substring(0, 8);
            try {
                for (int i = 0; i < 2; i++) {
                    nodes.add(startNode(i + 1, redis.url(), uri, database));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        public RedisServer redis() {
            return redis;
        }

        /** The HTTP port of node {@code n} (1 or 2). */
        public int port(int n) {
            return ((WebServerApplicationContext) nodes.get(n - 1)).getWebServer().getPort();
        }

        public ConfigurableApplicationContext context(int n) {
            return nodes.get(n - 1);
        }

        /** Users are created through node 1. */
        public TestUsers users() {
            return new TestUsers(port(1));
        }

        @Override
        public void close() {
            nodes.forEach(ConfigurableApplicationContext::close);
            if (store != null) {
                store.close();
            }
            redis.close();
        }
    }

    /** Starts the whole application as node {@code n} on a free port with this Redis URL and store. */
    public static ConfigurableApplicationContext startNode(int n, String redisUrl, String storeUri, String database) {
        return new SpringApplicationBuilder(TaskmeshApplication.class)
                .profiles("test")
                .properties("taskmesh.test.node=" + n)
                .run("--server.port=0", "--taskmesh.redis.url=" + redisUrl, "--taskmesh.store.mongodb-uri=" + storeUri,
                        "--taskmesh.store.database=" + database, "--spring.jmx.enabled=false");
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TwoNodes.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    private static Cluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", key -> new Cluster(), Cluster.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }
}
