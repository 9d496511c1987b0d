package io.taskmesh.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says, once the node is ready, where it listens and which store it uses. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final StoreDescription store;
    private final Environment environment;

    StartupReport(StoreDescription store, Environment environment) {
        this.store = store;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        log.info("Taskmesh ready on http://localhost:{}/ (API docs at /api/docs); store: {}", port, store.text());
    }
}
