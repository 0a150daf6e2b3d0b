package dev.lasermesh.meshit;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The wall time of one one-shot job on a mesh of N worker machines (each runs an analyzer and a reducer;
 * a job's stages do not overlap), from the per-task costs of a measured job (Amdahl's law with the
 * mesh's own serial parts):
 * <pre>
 *   T(N) = planning + Σ_stages [ max( Σ(c_i + pickup) / N,  max c_i + pickup,  n · gateway ) + outbox + return ] + assembly
 * </pre>
 * {@code c_i} are the tasks' worker seconds on one machine, {@code pickup} the worker's per-task Kafka cost,
 * {@code outbox} and {@code return} the latency of the first task's dispatch and the last result's commit,
 * {@code gateway} the gateway's serial cost per result ({@link StageCosts#gatewayMean()}), and planning
 * and assembly run on the gateway alone. The work term
 * assumes the tasks spread evenly (a greedy queue of similar tasks does, to within one task, which the
 * {@code max c_i} term bounds). A bigger model of the same width is the measured one with every layer's
 * tasks repeated ({@code copies}) and the assembly scaled by the bytes it writes ({@code assemblyScale}).
 *
 * @param planningSeconds submitted → first task planned
 * @param stages          the job's stages in order
 * @param assemblySeconds last result committed → job ended
 */
record ThroughputModel(double planningSeconds, List<StageModel> stages, double assemblySeconds) {

    ThroughputModel {
        stages = List.copyOf(stages);
    }

    /**
     * One stage's tasks and per-task mesh costs.
     *
     * @param type           the task type
     * @param taskSeconds    each task's worker seconds
     * @param pickup         worker-side Kafka cost per task
     * @param latency        outbox + return: dispatch of the first task, commit of the last result
     * @param gatewayPerTask the gateway's serial cost per result
     */
    record StageModel(String type, List<Double> taskSeconds, double pickup, double latency, double gatewayPerTask) {

        StageModel {
            taskSeconds = List.copyOf(taskSeconds);
        }

        /** The stage's wall time on {@code machines} workers. */
        double seconds(int machines) {
            double work = taskSeconds.stream().mapToDouble(c -> c + pickup).sum();
            double longest = Collections.max(taskSeconds) + pickup;
            double gateway = taskSeconds.size() * gatewayPerTask;
            return Math.max(Math.max(work / machines, longest), gateway) + latency;
        }
    }

    /**
     * The model of {@code measured}'s job with each stage's tasks repeated {@code copies} times (a model
     * with {@code copies} times the measured layers) and its assembly scaled by {@code assemblyScale}.
     */
    static ThroughputModel of(JobTimeline measured, int copies, double assemblyScale) {
        List<StageModel> stages = measured.stages().values().stream().map(s -> {
            List<Double> seconds = measured.tasks().stream().filter(t -> t.type().equals(s.type()))
                    .map(TaskTiming::seconds).toList();
            List<Double> repeated = Stream.generate(() -> seconds).limit(copies).flatMap(List::stream).toList();
            return new StageModel(s.type(), repeated, s.pickupMean(), s.outboxMean() + s.returnMean(), s.gatewayMean());
        }).toList();
        return new ThroughputModel(measured.planningSeconds(), stages, measured.assemblySeconds() * assemblyScale);
    }

    /** The job's wall time on {@code machines} worker machines. */
    double seconds(int machines) {
        if (machines < 1) {
            throw new IllegalArgumentException("machines must be at least 1, not " + machines);
        }
        return planningSeconds + stages.stream().mapToDouble(s -> s.seconds(machines)).sum() + assemblySeconds;
    }

    /** Tasks of the job. */
    int tasks() {
        return stages.stream().mapToInt(s -> s.taskSeconds().size()).sum();
    }

    /** What no number of machines removes: planning, each stage's latency, assembly (Amdahl's serial part). */
    double serialSeconds() {
        return planningSeconds + stages.stream().mapToDouble(StageModel::latency).sum() + assemblySeconds;
    }
}
