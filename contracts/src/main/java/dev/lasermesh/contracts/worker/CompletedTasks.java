package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The most recently completed tasks of a worker and their results, so that a redelivered task
 * (delivery is at least once, DESIGN §2) is answered with the same result without doing the work
 * again. A task counts as the same only when its whole message is equal, not just its id. Bounded by
 * count, least recently used first out; failures are not remembered, since a retry may succeed.
 */
final class CompletedTasks<T extends Message, R extends Message> {

    private record Completed<T, R>(T task, R result) {
    }

    private final Map<String, Completed<T, R>> byTaskId;

    CompletedTasks(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.byTaskId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Completed<T, R>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The result of an earlier completion of exactly this task, if it is still remembered. */
    synchronized Optional<R> resultOf(T task) {
        Completed<T, R> earlier = byTaskId.get(task.key());
        return earlier != null && earlier.task().equals(task) ? Optional.of(earlier.result()) : Optional.empty();
    }

    synchronized void remember(T task, R result) {
        byTaskId.put(task.key(), new Completed<>(task, result));
    }
}
