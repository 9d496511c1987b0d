package io.taskmesh.redis;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code taskmesh.redis.url} is set and not blank ({@code @ConditionalOnProperty}
 * would also match the empty value that an unset {@code TASKMESH_REDIS_URL} gives).
 */
public class RedisConfigured implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return in(context.getEnvironment());
    }

    public static boolean in(Environment environment) {
        return StringUtils.hasText(environment.getProperty("taskmesh.redis.url"));
    }

    /** The opposite: the node runs without Redis (embedded mode). */
    public static class Not implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !in(context.getEnvironment());
        }
    }
}
