package io.taskmesh.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConfiguration.WithAuthentication;
import org.springframework.data.redis.connection.RedisConfiguration.WithDatabaseIndex;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.SessionRepositoryFilter;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Redis connection and the sessions kept in it, set up only when {@code TASKMESH_REDIS_URL}
 * is set (Boot's own Redis and session auto-configurations are excluded, so that nothing touches
 * Redis otherwise). Lettuce is set up for an accelerator: short command timeouts, commands
 * rejected at once while disconnected, and reconnection every second at most.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class RedisConfiguration {

    @Bean(destroyMethod = "shutdown")
    ClientResources lettuceClientResources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean
    LettuceConnectionFactory redisConnectionFactory(RedisProperties properties, ClientResources resources) {
        RedisURI uri = RedisURI.create(properties.url());
        org.springframework.data.redis.connection.RedisConfiguration server = servers(uri);
        ((WithDatabaseIndex) server).setDatabase(uri.getDatabase());
        WithAuthentication authenticated = (WithAuthentication) server;
        if (uri.getUsername() != null) {
            authenticated.setUsername(uri.getUsername());
        }
        if (uri.getPassword() != null) {
            authenticated.setPassword(uri.getPassword());
        }
        ClientOptions options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .build();
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .clientResources(resources)
                .clientOptions(options)
                .commandTimeout(properties.commandTimeout())
                .clientName("taskmesh");
        if (uri.isSsl()) {
            client.useSsl();
        }
        return new LettuceConnectionFactory(server, client.build());
    }

    /**
     * One server ({@code redis://}, {@code rediss://}) or a primary found through Sentinels
     * ({@code redis-sentinel://host:26379,host2:26379#mastername}): Lettuce asks a Sentinel for the
     * primary whenever it (re)connects, so after a failover, which closes the clients' connections
     * to the old primary, the nodes follow the new one by themselves.
     */
    private static org.springframework.data.redis.connection.RedisConfiguration servers(RedisURI uri) {
        if (uri.getSentinels().isEmpty()) {
            return new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        }
        RedisSentinelConfiguration sentinels = new RedisSentinelConfiguration();
        sentinels.master(uri.getSentinelMasterId());
        uri.getSentinels().forEach(sentinel -> sentinels.sentinel(sentinel.getHost(), sentinel.getPort()));
        return sentinels;
    }

    @Bean
    StringRedisTemplate stringRedisTemplate(RedisConnectionFactory connections) {
        return new StringRedisTemplate(connections);
    }

    @Bean
    RedisErrors redisErrors(MeterRegistry metrics) {
        return new RedisErrors(metrics);
    }

    /** Sessions: the security context and CSRF state, Java-serialised, under {@code taskmesh:session:*}. */
    @Bean
    GuardedSessionRepository<?> sessionRepository(RedisConnectionFactory connections, RedisProperties properties,
            RedisErrors errors, @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setConnectionFactory(connections);
        template.setKeySerializer(StringRedisSerializer.UTF_8);
        template.setHashKeySerializer(StringRedisSerializer.UTF_8);
        JdkSerializationRedisSerializer values = new JdkSerializationRedisSerializer(getClass().getClassLoader());
        template.setValueSerializer(values);
        template.setHashValueSerializer(values);
        template.afterPropertiesSet();
        RedisSessionRepository sessions = new RedisSessionRepository(template);
        sessions.setDefaultMaxInactiveInterval(timeout);
        sessions.setRedisKeyNamespace("taskmesh:session");
        return new GuardedSessionRepository<>(sessions, errors, properties.sessionRetryAfter());
    }

    /** The same cookie as the embedded mode's container sessions: name, HttpOnly, SameSite=Lax, Secure behind TLS. */
    @Bean
    FilterRegistrationBean<SessionRepositoryFilter<?>> sessionRepositoryFilter(GuardedSessionRepository<?> sessions,
            @Value("${server.servlet.session.cookie.name:TASKMESH_SESSION}") String cookieName) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(cookieName);
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        cookie.setCookiePath("/");
        CookieHttpSessionIdResolver resolver = new CookieHttpSessionIdResolver();
        resolver.setCookieSerializer(cookie);
        SessionRepositoryFilter<?> filter = new SessionRepositoryFilter<>(sessions);
        filter.setHttpSessionIdResolver(resolver);
        FilterRegistrationBean<SessionRepositoryFilter<?>> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SessionUnavailableFilter> sessionUnavailableFilter() {
        FilterRegistrationBean<SessionUnavailableFilter> registration =
                new FilterRegistrationBean<>(new SessionUnavailableFilter());
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
        return registration;
    }
}
