package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.gateway.store.OutboxEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The write side of the transactional outbox. A state change of a job and the messages it implies (tasks
 * for the workers, events for the dashboard) are written in the same database transaction: the
 * messages as rows of table {@code outbox}, which {@link OutboxPublisher} sends to Kafka after the
 * commit.
 *
 * <p>Guarantee: a message is published if and only if the state change that implies it was committed.
 * A rolled-back transaction leaves no row, so nothing is sent for a change that did not happen; a
 * committed one leaves its rows, which the publisher sends until the broker acknowledges them — also
 * after a crash of the gateway between commit and send, since unsent rows are still in the table
 * when it starts again. Delivery is therefore at least once (a crash after the broker's
 * acknowledgement and before the row is marked sent repeats the message), which the consumers absorb:
 * workers handle tasks idempotently by task id, and the gateway counts a result once per task id.
 * The method requires a running transaction, so no caller can publish outside one.
 */
@ApplicationScoped
public class Outbox {

    /** Marks a transaction whose commit already wakes the publisher. */
    private static final Object WAKES_PUBLISHER = new Object();

    private final TransactionSynchronizationRegistry transactions;
    private final OutboxPublisher publisher;

    @Inject
    public Outbox(TransactionSynchronizationRegistry transactions, OutboxPublisher publisher) {
        this.transactions = transactions;
        this.publisher = publisher;
    }

    /**
     * Queues {@code message} for its topic under its key, in the caller's transaction; the publisher is
     * woken once that transaction has committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(Message message) {
        OutboxEntity row = new OutboxEntity();
        row.topic = message.topic();
        row.key = message.key();
        row.payload = Json.write(message);
        row.created = Instant.now();
        row.persist();
        if (transactions.getResource(WAKES_PUBLISHER) == null) {
            transactions.putResource(WAKES_PUBLISHER, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        publisher.wake();
                    }
                }
            });
        }
    }
}
