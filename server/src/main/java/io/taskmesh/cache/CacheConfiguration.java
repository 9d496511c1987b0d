package io.taskmesh.cache;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.redis.RedisConfigured;
import io.taskmesh.redis.RedisErrors;
import tools.jackson.databind.json.JsonMapper;

/** The read cache in Redis when Redis is configured; otherwise reads go straight to MongoDB. */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean(destroyMethod = "close")
    @Conditional(RedisConfigured.class)
    RedisReadCache redisReadCache(RedisConnectionFactory redis, JsonMapper json, RedisErrors errors,
            MeterRegistry metrics, CacheProperties properties) {
        return new RedisReadCache(redis, json, errors, metrics, properties);
    }

    @Bean
    @Conditional(RedisConfigured.Not.class)
    DirectReads directReads(JsonMapper json) {
        return new DirectReads(json);
    }
}
