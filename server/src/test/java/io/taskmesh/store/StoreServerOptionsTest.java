package io.taskmesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class StoreServerOptionsTest {

    @Test
    void readsPortHostAndDataDir() {
        StoreServer.Options options = StoreServer.Options.parse(
                new String[] {"--port", "27018", "--data-dir", "/tmp/x", "--host", "127.0.0.2"});
        assertThat(options).isEqualTo(new StoreServer.Options("127.0.0.2", 27018, Path.of("/tmp/x")));
    }

    @Test
    void defaultsToLoopbackAndTheMongoDbPort() {
        StoreServer.Options options = StoreServer.Options.parse(new String[0]);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(27017);
    }

    @Test
    void helpAndBadArgumentsAreToldApart() {
        assertThat(StoreServer.Options.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> StoreServer.Options.parse(new String[] {"--port", "70000"}))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> StoreServer.Options.parse(new String[] {"--port"}))
                .hasMessageContaining("missing value");
        assertThatThrownBy(() -> StoreServer.Options.parse(new String[] {"--bogus", "1"}))
                .hasMessageContaining("unknown option");
    }
}
