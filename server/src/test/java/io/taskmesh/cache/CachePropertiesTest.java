package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How much each node keeps of the cached reads, as application.yaml binds it. */
class CachePropertiesTest {

    @Test
    void withoutALocalSizeANodeKeepsAQuarterOfItsHeap() {
        // application.yaml passes TASKMESH_CACHE_LOCAL_SIZE through, empty when it is not set.
        CacheProperties unset = bind(Map.of("taskmesh.cache.local-size", ""));
        assertThat(unset.localBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void aLocalSizeGivenIsKept() {
        assertThat(bind(Map.of("taskmesh.cache.local-size", "32MB")).localBytes()).isEqualTo(32L * 1024 * 1024);
    }

    private static CacheProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("taskmesh.cache",
                CacheProperties.class);
    }
}
