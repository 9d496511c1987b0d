package io.taskmesh;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.taskmesh.store.StoreServer;

/**
 * Entry point of a Taskmesh API node; {@code store [--port P] [--data-dir D]} instead runs only the
 * embedded MongoDB-wire store as its own process (the database of the local cluster).
 */
// No user-details service: accounts are checked by the account feature itself.
// No Redis or Spring Session auto-configuration: Redis is wired by io.taskmesh.redis, and only when
// TASKMESH_REDIS_URL is set (the embedded mode keeps container sessions and must not touch Redis).
@SpringBootApplication(exclude = {UserDetailsServiceAutoConfiguration.class,
        DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
        DataRedisRepositoriesAutoConfiguration.class, DataRedisReactiveHealthContributorAutoConfiguration.class,
        LettuceObservationAutoConfiguration.class, SessionAutoConfiguration.class,
        SessionDataRedisAutoConfiguration.class, SessionsEndpointAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableScheduling
public class TaskmeshApplication {

    public static void main(String[] args) {
        // Netty (Redis client, embedded store) samples buffer allocations for leak reports by default,
        // recording a stack trace each time: measurable on every request. -D... turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty's default adaptive allocator frees its direct chunks through a shared memory arena
        // on JDK 25, and closing one stops every thread for a handshake: 9% of a node's CPU under
        // cached reads. The pooled allocator keeps its chunks.
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "pooled");
        }
        if (args.length > 0 && args[0].equals("store")) {
            System.exit(StoreServer.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(TaskmeshApplication.class, args);
    }
}
