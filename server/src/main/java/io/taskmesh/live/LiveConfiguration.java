package io.taskmesh.live;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process event bus, used unless a shared (Redis) bus is configured. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    @Bean
    @ConditionalOnMissingBean(EventBus.class)
    EventBus inProcessEventBus() {
        return new InProcessEventBus(10_000);
    }
}
