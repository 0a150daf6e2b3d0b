package dev.lasermesh.meshit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the time of one stage of a mesh job went (one task type), split into the work and the mesh's
 * overhead per task. A task's time from planning to its committed result is
 * <pre>
 *   outbox + queue + pickup + seconds + return
 * </pre>
 * where {@code outbox} is planned → task record on the broker, {@code queue} the wait for its worker to
 * finish the task before (its worker sent the previous result after this task was published), {@code
 * pickup} the rest until the worker started (Kafka delivery, the worker's poll and decoding), {@code
 * seconds} the worker's own time, {@code return} result record → committed by the gateway. The queue is
 * waiting for compute, not overhead; the other three are the mesh's price per task (Kafka + PostgreSQL),
 * of which only {@code pickup} occupies a worker. Kafka's record times have millisecond resolution, so a
 * single task's pickup can come out a millisecond below zero; means are what this reports.
 *
 * <p>The gateway commits results one after the other. When a result was sent before the commit of the
 * result committed just before it, it waited for the gateway, and the time between the two commits is the
 * gateway's time for it: {@code gatewayMean} is the mean of those. When no result ever waited, the
 * gateway was never the bottleneck and the mean return time stands in (an upper bound: it includes the
 * Kafka delivery).
 *
 * @param type          the task type
 * @param tasks         its tasks
 * @param workers       distinct workers that carried them out
 * @param wallSeconds   the stage's wall time: first task planned → last result committed
 * @param computeSum    Σ worker seconds
 * @param computeMax    the longest task
 * @param outboxMean    mean planned → published
 * @param queueMean     mean wait for a busy worker
 * @param pickupMean    mean published (or worker free) → worker started
 * @param returnMean    mean result sent → committed
 * @param gatewayMean   the gateway's time per result (see above)
 */
record StageCosts(String type, int tasks, int workers, double wallSeconds, double computeSum, double computeMax,
                  double outboxMean, double queueMean, double pickupMean, double returnMean, double gatewayMean) {

    /** The mesh's price per task: outbox + pickup + return (Kafka and PostgreSQL, not compute, not queueing). */
    double overheadPerTask() {
        return outboxMean + pickupMean + returnMean;
    }

    /** Mean worker seconds per task. */
    double computeMean() {
        return computeSum / tasks;
    }

    /** Fraction of the stage's wall time its workers computed: Σ seconds / (wall × workers). */
    double busy() {
        return computeSum / (wallSeconds * workers);
    }

    /** The costs of each task type among {@code timings}, in the order the types first appear. */
    static Map<String, StageCosts> byType(List<TaskTiming> timings) {
        Map<String, List<TaskTiming>> groups = timings.stream().sorted(Comparator.comparing(TaskTiming::created))
                .collect(Collectors.groupingBy(TaskTiming::type, LinkedHashMap::new, Collectors.toList()));
        Map<String, StageCosts> costs = new LinkedHashMap<>();
        groups.forEach((type, tasks) -> costs.put(type, of(type, tasks)));
        return costs;
    }

    /** The costs of one stage's {@code tasks} (all of one type). */
    static StageCosts of(String type, List<TaskTiming> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("stage " + type + " has no tasks");
        }
        List<Double> queues = new ArrayList<>();
        List<Double> pickups = new ArrayList<>();
        Map<String, List<TaskTiming>> perWorker = tasks.stream().collect(Collectors.groupingBy(TaskTiming::worker));
        for (List<TaskTiming> own : perWorker.values()) {
            List<TaskTiming> inOrder = own.stream().sorted(Comparator.comparingDouble(TaskTiming::workerStart)).toList();
            double workerFree = Double.NEGATIVE_INFINITY;
            for (TaskTiming t : inOrder) {
                double published = TaskTiming.epochSeconds(t.published());
                double ready = Math.max(published, workerFree);
                queues.add(ready - published);
                pickups.add(t.workerStart() - ready);
                workerFree = TaskTiming.epochSeconds(t.resultSent());
            }
        }
        Instant first = tasks.stream().map(TaskTiming::created).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = tasks.stream().map(TaskTiming::finished).max(Comparator.naturalOrder()).orElseThrow();
        double returnMean = mean(tasks.stream().map(TaskTiming::returnSeconds).toList());
        List<Double> gateway = gatewayTimes(tasks);
        return new StageCosts(type, tasks.size(), perWorker.size(), TaskTiming.between(first, last),
                tasks.stream().mapToDouble(TaskTiming::seconds).sum(),
                tasks.stream().mapToDouble(TaskTiming::seconds).max().orElseThrow(),
                mean(tasks.stream().map(TaskTiming::outboxSeconds).toList()), mean(queues), mean(pickups), returnMean,
                gateway.isEmpty() ? returnMean : mean(gateway));
    }

    /** Commit → next commit, for each result that was sent before the commit before it (it waited). */
    private static List<Double> gatewayTimes(List<TaskTiming> tasks) {
        List<TaskTiming> byCommit = tasks.stream().sorted(Comparator.comparing(TaskTiming::finished)).toList();
        List<Double> times = new ArrayList<>();
        for (int i = 1; i < byCommit.size(); i++) {
            Instant before = byCommit.get(i - 1).finished();
            if (!byCommit.get(i).resultSent().isAfter(before)) {
                times.add(TaskTiming.between(before, byCommit.get(i).finished()));
            }
        }
        return times;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
