package io.taskmesh;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.taskmesh.store.StoreServer;

/**
 * Entry point of a Taskmesh API node; {@code store [--port P] [--data-dir D]} instead runs only the
 * embedded MongoDB-wire store as its own process (the database of the local cluster).
 */
// No user-details service: accounts are checked by the account feature itself.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class TaskmeshApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("store")) {
            System.exit(StoreServer.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(TaskmeshApplication.class, args);
    }
}
