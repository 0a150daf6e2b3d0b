package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.job.JobEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hands published job events to the server-sent-event streams of this gateway. Subscribers see the
 * events published after they subscribed, every one of them: the outbox publishes in bursts, faster than
 * a stream writes, so each subscriber has a buffer of {@value #BUFFER} events; a subscriber that falls
 * further behind is dropped (its stream ends with an error and the browser reconnects) rather than
 * holding up the outbox publisher.
 */
@ApplicationScoped
public class JobEventHub {

    /** Events one subscriber may be behind. */
    static final int BUFFER = 1024;

    private final BroadcastProcessor<JobEvent> processor = BroadcastProcessor.create();

    /** Passes an acknowledged event to the current subscribers. */
    void publish(JobEvent event) {
        processor.onNext(event);
    }

    /** Every event from now on. */
    public Multi<JobEvent> all() {
        return processor.onOverflow().buffer(BUFFER);
    }

    /** The events of one job from now on. */
    public Multi<JobEvent> ofJob(String jobId) {
        return all().select().where(e -> e.jobId().equals(jobId));
    }
}
