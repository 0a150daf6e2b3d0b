package dev.lasermesh.gateway;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.gateway.orchestrator.Orchestrator;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Plays the workers for one job without Kafka: takes the job's pending tasks from the store, has
 * {@link CoreWorkers} compute real results, and hands them to the {@link Orchestrator}'s handlers — in a
 * shuffled order, since results arrive in any order on the topics.
 */
public final class JobDriver {

    private final Orchestrator orchestrator;
    private final CoreWorkers workers;
    private final Random random;
    private final Set<String> answered = new HashSet<>();

    public JobDriver(Orchestrator orchestrator, CoreWorkers workers, long seed) {
        this.orchestrator = orchestrator;
        this.workers = workers;
        this.random = new Random(seed);
    }

    /** Answers tasks until none is pending; returns how many results were delivered. */
    public int run(String jobId) {
        return run(jobId, UnaryOperator.identity());
    }

    /**
     * Answers tasks until none is pending, passing each task's JSON through {@code tamper} first (a test
     * that wants a failure or a duplicate changes or repeats what it delivers there).
     */
    public int run(String jobId, UnaryOperator<Delivery> tamper) {
        int delivered = 0;
        while (true) {
            boolean merging = merging(jobId);
            List<TaskEntity> pending = new ArrayList<>(QuarkusTransaction.requiringNew().call(() ->
                    TaskEntity.<TaskEntity>list("jobId = ?1 and status = ?2", jobId, TaskStatus.PENDING)));
            pending.removeIf(t -> !answered.add(t.taskId + "#" + t.attempts));
            if (pending.isEmpty() && merging) {
                pause();
                continue;
            }
            if (pending.isEmpty()) {
                return delivered;
            }
            Collections.shuffle(pending, random);
            for (TaskEntity task : pending) {
                Delivery delivery = tamper.apply(new Delivery(task, result(task)));
                for (int i = 0; i < delivery.times(); i++) {
                    deliver(delivery.result());
                    delivered++;
                }
            }
        }
    }

    /**
     * Whether the job waits for its calibration shards' merge, which runs on its own thread after the last
     * shard's transaction ({@code CalibrationMerger}) and then sends the analyses. Read before the pending
     * tasks: the merge commits the job's next status and its analyses together, so a status read after the
     * tasks could see the merge done while the tasks read before it missed the analyses, and the driver
     * would stop with the job left analyzing.
     */
    private static boolean merging(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(jobId)).status
                == JobStatus.CALIBRATING;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the calibration statistics merge", e);
        }
    }

    /** Waits until the job has ended (assembly runs on its own thread) and returns it. */
    public static JobEntity awaitEnd(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobEntity job = QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(jobId));
            if (job.status.terminal() || System.nanoTime() > deadline) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
        }
    }

    private Object result(TaskEntity task) {
        return switch (task.type) {
            case ANALYSIS -> workers.analyze(Json.read(task.payload, AnalysisTask.class));
            case REDUCTION -> workers.reduce(Json.read(task.payload, ReductionTask.class));
            case EVALUATION -> workers.evaluate(Json.read(task.payload, EvaluationTask.class));
        };
    }

    private void deliver(Object result) {
        switch (result) {
            case dev.lasermesh.contracts.task.AnalysisResult r -> orchestrator.onAnalysis(r);
            case dev.lasermesh.contracts.task.ReductionResult r -> orchestrator.onReduction(r);
            case dev.lasermesh.contracts.task.EvaluationResult r -> orchestrator.onEvaluation(r);
            default -> throw new IllegalArgumentException("not a result: " + result);
        }
    }

    /**
     * One result to deliver.
     *
     * @param task   the task it answers
     * @param result the result message
     * @param times  how often to deliver it (2 for a redelivery)
     */
    public record Delivery(TaskEntity task, Object result, int times) {

        Delivery(TaskEntity task, Object result) {
            this(task, result, 1);
        }

        /** The same result delivered {@code n} times. */
        public Delivery repeated(int n) {
            return new Delivery(task, result, n);
        }

        /** Another result for the same task. */
        public Delivery instead(Object other) {
            return new Delivery(task, other, times);
        }
    }
}
