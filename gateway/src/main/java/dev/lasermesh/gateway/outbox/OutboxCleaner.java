package dev.lasermesh.gateway.outbox;

import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.store.OutboxEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Deletes outbox rows the broker acknowledged longer than {@code lasermesh.outbox.retention} ago; they
 * are kept that long only to tell what was published. Unsent rows are never deleted.
 */
@ApplicationScoped
public class OutboxCleaner {

    private final GatewayConfig config;

    @Inject
    public OutboxCleaner(GatewayConfig config) {
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void hourly() {
        deleteExpired();
    }

    /** Deletes the expired rows; returns how many. */
    @Transactional
    public long deleteExpired() {
        return OutboxEntity.delete("sent < ?1", Instant.now().minus(config.outbox().retention()));
    }
}
