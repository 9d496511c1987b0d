package io.taskmesh.live;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.redis.RedisConfigured;
import io.taskmesh.redis.RedisErrors;
import io.taskmesh.redis.RedisProperties;
import tools.jackson.databind.json.JsonMapper;

/** The event bus: a Redis stream shared by the nodes when Redis is configured, otherwise in-process. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    @Bean
    @Conditional(RedisConfigured.Not.class)
    EventBus inProcessEventBus() {
        return new InProcessEventBus(10_000);
    }

    @Bean
    @Conditional(RedisConfigured.class)
    RedisStreamEventBus redisStreamEventBus(LettuceConnectionFactory redis, RedisProperties properties,
            JsonMapper json, RedisErrors errors, MeterRegistry metrics) {
        return new RedisStreamEventBus(redis, properties, json, errors, metrics);
    }
}
