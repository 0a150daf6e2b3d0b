package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.job.JobEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hands published job events to the server-sent-event streams of this gateway. Subscribers see the
 * events published after they subscribed; a slow subscriber is dropped rather than holding up the
 * outbox publisher.
 */
@ApplicationScoped
public class JobEventHub {

    private final BroadcastProcessor<JobEvent> processor = BroadcastProcessor.create();

    /** Passes an acknowledged event to the current subscribers. */
    void publish(JobEvent event) {
        processor.onNext(event);
    }

    /** Every event from now on. */
    public Multi<JobEvent> all() {
        return processor.onOverflow().drop();
    }

    /** The events of one job from now on. */
    public Multi<JobEvent> ofJob(String jobId) {
        return all().select().where(e -> e.jobId().equals(jobId));
    }
}
