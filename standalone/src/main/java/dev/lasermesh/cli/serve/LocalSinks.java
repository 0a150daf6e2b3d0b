package dev.lasermesh.cli.serve;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The in-process ends of the channels that leave the mesh for Kafka in a deployment: the gateway's job events
 * (read by dashboards from the topic there; here the gateway's own server-sent-event streams are their only
 * reader, fed by the gateway once a send is acknowledged) and the workers' dead-letter channels (the worker has
 * already logged why the message was unreadable). Without a consumer, a send on an in-memory channel is never
 * acknowledged: the gateway's outbox would repeat its job events forever, and a worker would fail the message
 * it dead-letters.
 */
@ApplicationScoped
public class LocalSinks {

    @Incoming("job-events")
    void jobEvent(String event) {
        Log.tracef("job event %s", event);
    }

    @Incoming("analysis-tasks-dlq")
    void analysisDeadLetter(String message) {
        deadLetter("analysis-tasks", message);
    }

    @Incoming("reduction-tasks-dlq")
    void reductionDeadLetter(String message) {
        deadLetter("reduction-tasks", message);
    }

    @Incoming("evaluation-tasks-dlq")
    void evaluationDeadLetter(String message) {
        deadLetter("evaluation-tasks", message);
    }

    private static void deadLetter(String channel, String message) {
        Log.debugf("dead letter of %s: %s", channel, message);
    }
}
