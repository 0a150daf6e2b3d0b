package dev.lasermesh.contracts;

/**
 * Why a worker could not carry out a task (DESIGN §5: a worker that hits a bad task marks it failed
 * with the reason and keeps serving).
 *
 * @param reason    one line naming the file, tensor, field or value at fault, fit to show a user
 * @param retryable true when the same task may succeed if sent again (the worker ran out of memory,
 *                  the artifact store was momentarily unreadable); false when the input is at fault
 *                  and a retry would fail the same way
 */
public record TaskFailure(String reason, boolean retryable) {

    public TaskFailure {
        Require.text(reason, "reason");
    }
}
