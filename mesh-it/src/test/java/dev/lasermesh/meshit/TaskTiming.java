package dev.lasermesh.meshit;

import java.time.Duration;
import java.time.Instant;

/**
 * The life of one task of a mesh job, from the timestamps the mesh records anyway: the job store's task
 * row ({@code tasks.created} when the gateway's transaction planned it, {@code tasks.finished} when it
 * committed the result, {@code tasks.seconds} the worker's own time), and the Kafka records' create
 * times (the task record when the outbox publisher sent it, the result record when the worker sent it).
 *
 * @param taskId     the task id
 * @param type       {@code ANALYSIS}, {@code REDUCTION} or {@code EVALUATION}
 * @param worker     the worker that carried it out (the member of its group holding the task's partition)
 * @param created    planned, in the gateway's transaction
 * @param published  its task record's timestamp (outbox publisher)
 * @param resultSent its result record's timestamp (the worker, after the work)
 * @param finished   the result committed to the job store by the gateway
 * @param seconds    the worker's time on it (loading, compute, writing), as the result reports it
 */
record TaskTiming(String taskId, String type, String worker, Instant created, Instant published, Instant resultSent,
                  Instant finished, double seconds) {

    /** When the worker started on it: its result's send time less its own seconds. */
    double workerStart() {
        return epochSeconds(resultSent) - seconds;
    }

    /** Planned → on the broker: the transactional outbox (PostgreSQL commit, publisher round, Kafka ack). */
    double outboxSeconds() {
        return between(created, published);
    }

    /** Result on the broker → committed by the gateway: Kafka delivery, the gateway's transaction. */
    double returnSeconds() {
        return between(resultSent, finished);
    }

    static double epochSeconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    static double between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
