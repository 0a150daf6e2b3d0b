package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.TaskFailure;

/**
 * The work of one kind of task (analysis, reduction, evaluation), without any messaging: a worker
 * service wraps it in a {@link TaskRunner}, which decodes the message, classifies failures and
 * remembers completed tasks, and sends whatever the runner returns.
 *
 * @param <T> the task message
 * @param <R> the result message
 */
public interface TaskHandler<T extends Message, R extends Message> {

    /** The task record, for decoding. */
    Class<T> taskType();

    /**
     * Carries out {@code task}. The result may itself be a failure the handler detected (e.g. NaN
     * weights); thrown exceptions are turned into failed results by the runner.
     *
     * @throws dev.lasermesh.core.InvalidInputException when the task's input is at fault
     * @throws java.io.UncheckedIOException              when a file could not be read or written
     */
    R handle(T task);

    /** Whether {@code result} reports success (then it is remembered for redeliveries). */
    boolean succeeded(R result);

    /** The result reporting that {@code task} could not be carried out. */
    R failed(T task, TaskFailure failure);
}
