package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.TaskFailure;
import java.io.UncheckedIOException;

/**
 * Turns what went wrong in a task into a {@link TaskFailure} (DESIGN §5: a worker that hits a bad task
 * marks it failed with the reason and keeps serving). Retryable means the same task may succeed on
 * another attempt: an I/O error (the artifact store was momentarily unreadable) or running out of
 * memory. Bad input ({@link dev.lasermesh.core.InvalidInputException}, any other
 * {@link IllegalArgumentException}) and programming errors would fail again the same way.
 */
public final class TaskFailures {

    private TaskFailures() {
    }

    /** The failure {@code problem} means, with its message cut to one line. */
    public static TaskFailure of(Throwable problem) {
        boolean retryable = problem instanceof UncheckedIOException || problem instanceof OutOfMemoryError;
        boolean inputAtFault = problem instanceof IllegalArgumentException;
        String message = firstLine(problem.getMessage());
        String reason = inputAtFault && message != null ? message
                : problem.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return new TaskFailure(reason, retryable);
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
