package io.taskmesh.account;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.taskmesh.store.CollectionIndexes;

/** Beans of the account feature: password hashing and the indexes of its collections. */
@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    /** Argon2id with the OWASP minimum: 19 MiB of memory, 2 iterations, 1 lane. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    }

    @Bean
    CollectionIndexes userIndexes() {
        return Users.indexes();
    }

    @Bean
    CollectionIndexes tokenIndexes() {
        return AccessTokens.indexes();
    }
}
