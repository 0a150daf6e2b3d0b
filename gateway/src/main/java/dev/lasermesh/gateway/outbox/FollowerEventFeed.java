package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.leader.Leadership;
import dev.lasermesh.gateway.store.OutboxEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Feeds this gateway's server-sent-event streams while another gateway leads. The leader hands each job
 * event to its own {@link JobEventHub} once the broker has acknowledged it ({@link OutboxPublisher}); a
 * follower publishes nothing, so without this feed a dashboard served by a follower would never move.
 * The feed reads the job events the leader has marked sent, in id order from where it last read, and
 * hands them to the hub every {@code lasermesh.outbox.interval}: the streams see the same events in the same
 * order, up to one interval later.
 *
 * <p>Like the streams themselves, the feed starts with the events sent after it started to follow (its first
 * read only notes the last sent event's id; rows written but not yet sent then have higher ids and come
 * through once sent). A row marked sent out of id order — its first send failed and a later round sent it
 * again — can be passed over; dashboards reload a job's state from the API, so a missed event is a late
 * update, never a wrong one.
 */
@ApplicationScoped
public class FollowerEventFeed {

    private final Leadership leadership;
    private final JobEventHub hub;
    private final GatewayConfig config;
    /** The id of the last event row read; negative while the feed is not following. */
    private long lastRead = -1;

    @Inject
    public FollowerEventFeed(Leadership leadership, JobEventHub hub, GatewayConfig config) {
        this.leadership = leadership;
        this.hub = hub;
        this.config = config;
    }

    @Scheduled(every = "${lasermesh.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void follow() {
        if (leadership.leads()) {
            lastRead = -1;
            return;
        }
        if (lastRead < 0) {
            lastRead = QuarkusTransaction.requiringNew().call(() -> OutboxEntity.lastSentId(Topics.JOB_EVENTS));
            return;
        }
        List<OutboxEntity> rows;
        do {
            long after = lastRead;
            rows = QuarkusTransaction.requiringNew()
                    .call(() -> OutboxEntity.sentAfter(Topics.JOB_EVENTS, after, config.outbox().batchSize()));
            rows.forEach(row -> hub.publish(Json.read(row.payload, JobEvent.class)));
            if (!rows.isEmpty()) {
                lastRead = rows.getLast().id;
            }
        } while (rows.size() == config.outbox().batchSize());
    }
}
