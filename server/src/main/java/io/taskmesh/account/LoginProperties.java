package io.taskmesh.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How many failed log-ins an account or an address may make before it is made to wait. */
@ConfigurationProperties("taskmesh.login")
record LoginProperties(
        @DefaultValue("5") int maxFailuresPerAccount,
        @DefaultValue("50") int maxFailuresPerAddress,
        @DefaultValue("30s") Duration firstBlock,
        @DefaultValue("15m") Duration maxBlock) {
}
