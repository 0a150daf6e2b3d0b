package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.forward.Workspace;
import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The threads that run forward passes of windows (perplexity, calibration): a fixed pool where each
 * task runs wholly on one thread with OpenBLAS single-threaded inside it, so a window's numbers never
 * depend on scheduling or on which other windows run beside it, and many small products never wait on
 * each other's BLAS threads. A task that runs the model gets a {@link Workspace} of its own, reused by
 * later tasks (at most one per thread is ever made).
 */
public final class ForwardWorkers implements AutoCloseable {

    /** A task on window {@code index} with the scratch of one forward pass. */
    @FunctionalInterface
    public interface WindowTask {
        void run(int index, Workspace ws);
    }

    private final ModelConfig config;
    private final int maxLength;
    private final int threads;
    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();

    /**
     * @param config    the model the workspaces are sized for
     * @param maxLength the longest window a task runs
     * @param threads   worker threads (windows run in parallel)
     * @param name      prefix of the threads' names
     */
    public ForwardWorkers(ModelConfig config, int maxLength, int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.config = config;
        this.maxLength = maxLength;
        this.threads = threads;
        AtomicInteger counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Starts {@code task} on a worker with a workspace of its own. */
    public Future<?> submit(Consumer<Workspace> task) {
        return pool.submit(() -> {
            Workspace ws = workspaces.poll();
            if (ws == null) {
                ws = new Workspace(config, maxLength);
            }
            try {
                Sgemm.useThreadsForCaller(1);
                task.accept(ws);
            } finally {
                workspaces.add(ws);
            }
        });
    }

    /** Runs {@code task} for the windows 0..count−1 on the workers and waits for all ({@link WorkerFutures#awaitAll}). */
    public void forEachWindow(int count, WindowTask task, String what) {
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(submit(ws -> task.run(index, ws)));
        }
        WorkerFutures.awaitAll(futures, what);
    }

    /** Runs {@code task} for 0..count−1 on the workers, without a workspace, and waits for all. */
    public void forEach(int count, IntConsumer task, String what) {
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                Sgemm.useThreadsForCaller(1);
                task.accept(index);
            }));
        }
        WorkerFutures.awaitAll(futures, what);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
