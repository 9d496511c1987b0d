package io.taskmesh.account;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.taskmesh.redis.RedisErrors;
import io.taskmesh.store.CollectionIndexes;

/** Beans of the account feature: password hashing and the indexes of its collections. */
@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    /** Argon2id with the OWASP minimum: 19 MiB of memory, 2 iterations, 1 lane. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    }

    /** Failed log-ins are counted in Redis when it is configured (all nodes together), else in this process. */
    @Bean
    LoginFailures loginFailures(ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisErrors> errors) {
        InProcessLoginFailures local = new InProcessLoginFailures(Clock.systemUTC());
        StringRedisTemplate template = redis.getIfAvailable();
        return template == null ? local : new RedisLoginFailures(template, local, errors.getObject(), Clock.systemUTC());
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
