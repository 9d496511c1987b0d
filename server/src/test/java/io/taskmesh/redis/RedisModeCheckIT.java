package io.taskmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started from the bean definitions Spring AOT generated for the embedded mode,
 * but with Redis configured: it must refuse to start and say why, not run without Redis.
 */
class RedisModeCheckIT {

    @Test
    void anEmbeddedModeStartWithRedisConfiguredStopsAndSaysHowToStart(@TempDir Path dir)
            throws IOException, InterruptedException {
        String jar = System.getProperty("taskmesh.jar");
        assertThat(jar).as("system property taskmesh.jar (set by failsafe)").isNotBlank();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = dir.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dspring.aot.enabled=true", "-jar", jar)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TASKMESH_PORT", "0");
        builder.environment().put("TASKMESH_DATA_DIR", dir.resolve("data").toString());
        // Nothing listens there: the check must stop the start before anything connects.
        builder.environment().put("TASKMESH_REDIS_URL", "redis://127.0.0.1:1");
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the start ends by itself").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("taskmesh.redis.url is set")
                    .contains("start without -Dspring.aot.enabled=true")
                    .doesNotContain("Started TaskmeshApplication");
        } finally {
            process.destroyForcibly();
        }
    }
}
