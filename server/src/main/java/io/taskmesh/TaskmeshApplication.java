package io.taskmesh;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of a Taskmesh API node. */
// No user-details service: accounts are checked by the account feature itself.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class TaskmeshApplication {

    public static void main(String[] args) {
        SpringApplication.run(TaskmeshApplication.class, args);
    }
}
