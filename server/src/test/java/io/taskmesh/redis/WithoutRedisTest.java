package io.taskmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.web.http.SessionRepositoryFilter;

import io.taskmesh.live.EventBus;
import io.taskmesh.live.InProcessEventBus;
import io.taskmesh.support.ApiTest;

/** Without TASKMESH_REDIS_URL the node is the embedded mode: nothing of Redis is even created. */
@ApiTest
class WithoutRedisTest {

    @Autowired
    ApplicationContext context;

    @Test
    void noRedisConnectionSessionFilterOrSharedBusExists() {
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SessionRepositoryFilter.class)).isEmpty();
        assertThat(context.getBean(EventBus.class)).isInstanceOf(InProcessEventBus.class);
    }
}
