package dev.lasermesh.gateway.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobEventPayload;
import dev.lasermesh.contracts.job.JobStatus;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The hub behind the event streams: a burst reaches a slow subscriber whole; one too far behind is dropped. */
class JobEventHubTest {

    private static JobEvent event(String job, int n) {
        return JobEvent.of(job, Instant.ofEpochSecond(n), new JobEventPayload.StatusChanged(JobStatus.SEARCHING, null));
    }

    @Test
    void aBurstReachesASubscriberThatAsksForOneEventAtATime() {
        JobEventHub hub = new JobEventHub();
        AssertSubscriber<JobEvent> all = hub.all().subscribe().withSubscriber(AssertSubscriber.create(1));
        AssertSubscriber<JobEvent> one = hub.ofJob("j-1").subscribe().withSubscriber(AssertSubscriber.create(1));
        IntStream.range(0, 50).forEach(n -> hub.publish(event(n % 2 == 0 ? "j-1" : "j-2", n)));
        assertEquals(1, all.getItems().size());
        all.request(49);
        one.request(24);
        assertEquals(50, all.getItems().size(), "every event of the burst");
        assertEquals(IntStream.range(0, 25).mapToObj(n -> event("j-1", 2 * n)).toList(), one.getItems(), "j-1's, in order");
    }

    @Test
    void aSubscriberTooFarBehindIsDroppedAndTheOthersKeepTheirEvents() {
        JobEventHub hub = new JobEventHub();
        AssertSubscriber<JobEvent> stalled = hub.all().subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<JobEvent> reading = hub.all().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        IntStream.range(0, JobEventHub.BUFFER + 1).forEach(n -> hub.publish(event("j-1", n)));
        stalled.assertFailedWith(io.smallrye.mutiny.subscription.BackPressureFailure.class);
        assertEquals(JobEventHub.BUFFER + 1, reading.getItems().size());
        reading.assertNotTerminated();
    }
}
