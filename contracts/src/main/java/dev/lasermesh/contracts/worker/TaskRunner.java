package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.TaskFailure;
import java.util.Optional;

/**
 * Runs a worker's {@link TaskHandler} on received messages, the part every worker shares: decode the
 * task, answer a redelivered task from memory, carry it out, turn an exception into a failed result,
 * and time it. It never throws for a bad message or a bad task, so the consumer keeps serving; the
 * caller sends the outcome's result (or dead-letters an unreadable message) and only then
 * acknowledges the message (at-least-once delivery).
 *
 * <p>Thread-safe when the handler is: messages may be run concurrently.
 *
 * @param <T> the task message
 * @param <R> the result message
 */
public final class TaskRunner<T extends Message, R extends Message> {

    /** Completed tasks remembered by default. */
    public static final int DEFAULT_REMEMBERED = 256;

    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());

    private final TaskHandler<T, R> handler;
    private final CompletedTasks<T, R> completed;

    /**
     * @param handler    the work
     * @param remembered how many completed tasks to remember for redeliveries (0: none)
     */
    public TaskRunner(TaskHandler<T, R> handler, int remembered) {
        this.handler = handler;
        this.completed = new CompletedTasks<>(remembered);
    }

    /** A runner remembering {@value #DEFAULT_REMEMBERED} completed tasks. */
    public TaskRunner(TaskHandler<T, R> handler) {
        this(handler, DEFAULT_REMEMBERED);
    }

    /**
     * Handles one message's payload.
     *
     * @param payload the record's value, JSON text (null for a record without value)
     */
    public TaskOutcome run(String payload) {
        long start = System.nanoTime();
        T task;
        try {
            if (payload == null) {
                throw new ContractException(handler.taskType().getSimpleName() + ": the record has no value", null);
            }
            task = Json.read(payload, handler.taskType());
        } catch (ContractException e) {
            String reason = e.getMessage() + (e.field() == null ? "" : " (field " + e.field() + ")");
            LOG.log(System.Logger.Level.WARNING, "unreadable message dead-lettered: {0}", reason);
            return new TaskOutcome(TaskOutcome.Kind.UNREADABLE, null, reason, secondsSince(start));
        }
        Optional<R> earlier = completed.resultOf(task);
        if (earlier.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "task {0} was completed before; its result is sent again", task.key());
            return new TaskOutcome(TaskOutcome.Kind.REUSED, earlier.get(), null, secondsSince(start));
        }
        R result;
        try {
            result = handler.handle(task);
        } catch (RuntimeException | OutOfMemoryError e) {
            TaskFailure failure = TaskFailures.of(e);
            if (e instanceof IllegalArgumentException) {
                LOG.log(System.Logger.Level.WARNING, "task {0} failed: {1}", task.key(), failure.reason());
            } else {
                LOG.log(failure.retryable() ? System.Logger.Level.WARNING : System.Logger.Level.ERROR,
                        "task " + task.key() + " failed: " + failure.reason(), e);
            }
            return new TaskOutcome(TaskOutcome.Kind.FAILED, handler.failed(task, failure), null, secondsSince(start));
        }
        boolean succeeded = handler.succeeded(result);
        if (succeeded) {
            completed.remember(task, result);
        }
        return new TaskOutcome(succeeded ? TaskOutcome.Kind.COMPLETED : TaskOutcome.Kind.FAILED, result, null,
                secondsSince(start));
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
