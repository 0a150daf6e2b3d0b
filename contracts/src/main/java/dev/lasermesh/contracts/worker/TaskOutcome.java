package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Message;
import java.util.Objects;

/**
 * What a worker does with one received message: send {@link #result()} (completed, reused or failed
 * task), or dead-letter the message when it could not even be read as a task.
 *
 * @param kind    what happened
 * @param result  the result to send; null for {@link Kind#UNREADABLE}
 * @param reason  why the message is unreadable; null otherwise
 * @param seconds wall-clock seconds spent on the message
 */
public record TaskOutcome(Kind kind, Message result, String reason, double seconds) {

    /** What happened to a message; {@link #label()} tags the worker's task metrics. */
    public enum Kind {
        /** The task was carried out now. */
        COMPLETED("completed"),
        /** The task had been carried out before (a redelivery); the earlier result is sent again. */
        REUSED("reused"),
        /** The task could not be carried out; the result says why. */
        FAILED("failed"),
        /** The message is not a task of the current contract version; nothing can be answered. */
        UNREADABLE("unreadable");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TaskOutcome {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.UNREADABLE) != (result == null) || (kind == Kind.UNREADABLE) != (reason != null)) {
            throw new IllegalArgumentException("an unreadable message has a reason and no result; any other has a result");
        }
    }

    /** Whether there is a result to send. */
    public boolean hasResult() {
        return result != null;
    }

    /** The Kafka record key of the result. */
    public String key() {
        return result.key();
    }

    /** The result as the JSON a record carries. */
    public String json() {
        return Json.write(result);
    }
}
