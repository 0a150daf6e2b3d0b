package dev.lasermesh.core.eval;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the pieces of one evaluation that run on a worker pool. */
public final class WorkerFutures {

    private WorkerFutures() {
    }

    /**
     * Waits for every future; rethrows the first failure (a runtime exception as it is, anything else
     * wrapped naming {@code what}) after all have finished, so no worker still runs on shared buffers.
     */
    public static void awaitAll(List<Future<?>> futures, String what) {
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(what + " failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException(what + " interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
