package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.leader.Leadership;
import dev.lasermesh.gateway.store.OutboxEntity;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The read side of the transactional outbox ({@link Outbox}): woken after each commit that wrote rows,
 * and every {@code lasermesh.outbox.interval} in case a wake-up was lost (a crash, a failed send), it
 * reads the unsent rows in id order, sends them to their topics with their keys, waits for the
 * broker's acknowledgements and then marks the acknowledged rows sent. A row whose send fails or times
 * out stays unsent and is sent again in a later round, so every committed message reaches the broker
 * at least once, also across restarts of the gateway.
 *
 * <p>Order: rows are sent in id order by one producer (Kafka keeps the order of one producer's records
 * per partition). The rows of one job are written under that job's row lock, so their ids follow the
 * job's commit order; one job's events, which share a key and so a partition, arrive in that order.
 * Only the leading gateway publishes ({@link Leadership}): with several gateways on one job store, the
 * others write rows and leave them to the leader, which takes them over, sent or not, when it starts to
 * lead. A row the old leader sent without marking it (it died in between) is sent once more; consumers
 * absorb repeats by task id.
 *
 * <p>Job events, once acknowledged, are also handed to {@link JobEventHub} for the server-sent-event
 * streams: the dashboard sees exactly what was published.
 */
@ApplicationScoped
public class OutboxPublisher {

    private final TopicEmitters emitters;
    private final JobEventHub hub;
    private final GatewayConfig config;
    private final Leadership leadership;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "lasermesh-outbox"));
    private final AtomicBoolean queued = new AtomicBoolean();

    @Inject
    public OutboxPublisher(TopicEmitters emitters, JobEventHub hub, GatewayConfig config, Leadership leadership) {
        this.emitters = emitters;
        this.hub = hub;
        this.config = config;
        this.leadership = leadership;
    }

    /**
     * Publishes soon, on the publisher's own thread: rounds run one at a time, and wake-ups that come
     * while one is queued are merged into it.
     */
    public void wake() {
        if (queued.compareAndSet(false, true)) {
            executor.execute(() -> {
                queued.set(false);
                publishPending();
            });
        }
    }

    @Scheduled(every = "${lasermesh.outbox.interval:1s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Publishes rounds until the outbox holds no more unsent rows than one round takes. */
    private void publishPending() {
        while (publishRound() == config.outbox().batchSize()) {
            Log.debugf("outbox: a full round was sent, sending the next one");
        }
    }

    /**
     * Sends one round of unsent rows and marks those the broker acknowledged; a gateway that does not lead
     * sends nothing.
     *
     * @return how many rows the round read
     */
    int publishRound() {
        if (!leadership.leads()) {
            return 0;
        }
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew()
                .call(() -> OutboxEntity.unsent(config.outbox().batchSize()));
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (OutboxEntity row : rows) {
            acks.add(emitters.forTopic(row.topic).sendMessage(message(row)).subscribeAsCompletionStage());
        }
        List<Long> acknowledged = new ArrayList<>();
        List<OutboxEntity> events = new ArrayList<>();
        long deadline = System.nanoTime() + config.outbox().ackTimeout().toNanos();
        for (int i = 0; i < rows.size(); i++) {
            OutboxEntity row = rows.get(i);
            if (awaitAck(row, acks.get(i), deadline)) {
                acknowledged.add(row.id);
                if (Topics.JOB_EVENTS.equals(row.topic)) {
                    events.add(row);
                }
            }
        }
        QuarkusTransaction.requiringNew().run(() -> OutboxEntity.markSent(acknowledged, Instant.now()));
        events.forEach(row -> hub.publish(Json.read(row.payload, JobEvent.class)));
        return rows.size();
    }

    private static boolean awaitAck(OutboxEntity row, CompletableFuture<Void> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            Log.warnf("outbox: row %d (%s, key %s) was not acknowledged, it will be sent again: %s", row.id, row.topic,
                    row.key, e.getCause().getMessage());
        } catch (TimeoutException e) {
            Log.warnf("outbox: no acknowledgement for row %d (%s, key %s) in time, it will be sent again", row.id,
                    row.topic, row.key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static Message<String> message(OutboxEntity row) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(row.key).build();
        return Message.of(row.payload, Metadata.of(metadata));
    }
}
