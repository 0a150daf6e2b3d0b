package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.CalibratedMethod;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The calibration stage of a job with a calibrated method (DESIGN §7.4), before its analyses: the
 * calibration windows are cut into shards like an evaluation request's ({@link WindowShards}), on the
 * blocks the statistics are summed by ({@link CalibrationPass#blockWindows}), each an
 * evaluation task that collects the statistics of the selected matrices' inputs on the base model; once
 * every shard has answered, {@link CalibrationMerger} merges their statistics in window order with core's
 * {@link CalibrationStore#merge} (double-double sums: exactly one pass's) into
 * {@code jobs/<job>/calibration/merged}, which the analyzers and reducers read ({@link CalibratedMethod}, or
 * the methods study's cells, {@link MethodsStudyStage}), and the analyses go out.
 */
@ApplicationScoped
public class CalibrationStage {

    /** The request id of a job's calibration shards. */
    public static final String REQUEST = "calibration";

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final GatewayConfig config;
    private final Event<CalibrationMergeRequested> merge;

    @Inject
    public CalibrationStage(TaskDispatcher dispatcher, JobLifecycle lifecycle, GatewayConfig config,
                            Event<CalibrationMergeRequested> merge) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.config = config;
        this.merge = merge;
    }

    /** Whether a (resolved) job needs calibration statistics: a calibrated method, or the methods study. */
    public static boolean calibrates(JobSpec spec) {
        return calibratedMethod(spec) || spec.study() != null && spec.study().methods();
    }

    private static boolean calibratedMethod(JobSpec spec) {
        return spec.method() != null && ReductionMethod.parse(spec.method()).needsCalibration();
    }

    /** {@code jobs/<job>/calibration/merged}: the merged statistics of a job, relative to the artifact store. */
    public static String statistics(String jobId) {
        return "jobs/" + jobId + "/calibration/merged";
    }

    /** The method the job's analyses and reductions apply; null for W's own SVD. */
    public static CalibratedMethod method(String jobId, JobSpec spec) {
        return calibratedMethod(spec) ? new CalibratedMethod(spec.method(), statistics(jobId)) : null;
    }

    /** Sends the calibration shards of a new job over its {@code windows} calibration windows. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(JobEntity job, JobSpec spec, List<MatrixRef> matrices, int windows) {
        List<String> names = matrices.stream().map(MatrixRef::name).toList();
        int block = CalibrationPass.blockWindows(spec.calibration().windowProtocol().window());
        for (WindowShard shard : WindowShards.cut(0, windows, config.evaluation().shards(), block)) {
            dispatcher.calibration(job.id, spec.model(), spec.calibration(), names, shard);
        }
    }

    /**
     * A calibration shard answered: once all have and they make one pass, their statistics are merged
     * outside this transaction ({@link CalibrationMerger}), which then sends the analyses.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shardDone(JobEntity job) {
        if (TaskEntity.anyPending(job.id, TaskType.EVALUATION)) {
            return;
        }
        String mismatch = mismatch(TaskEntity.ofRequest(job.id, REQUEST).stream()
                .map(t -> Json.read(t.output, EvaluationOutput.class)).toList());
        if (mismatch != null) {
            lifecycle.fail(job, mismatch);
            return;
        }
        merge.fire(new CalibrationMergeRequested(job.id));
    }

    /**
     * Sends the analyses of a job's matrices, by the job's method, and moves it to
     * {@link JobStatus#ANALYZING}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void analyze(JobEntity job, JobSpec spec) {
        RankPolicySpec policy = spec.policy() == null ? RankPolicySpec.named(LaserRmtPolicy.NAME) : spec.policy();
        CalibratedMethod method = method(job.id, spec);
        for (MatrixEntity matrix : MatrixEntity.ofJob(job.id)) {
            dispatcher.analysis(job.id, spec.model(), matrix.id(), policy, method);
        }
        lifecycle.moveTo(job, JobStatus.ANALYZING);
    }

    /** Why the shards' statistics do not make one pass: the evaluators counted different windows. */
    private static String mismatch(List<EvaluationOutput> outputs) {
        int total = outputs.getFirst().totalWindows();
        int covered = 0;
        for (EvaluationOutput o : outputs) {
            if (o.calibration() == null || o.totalWindows() != total) {
                return "the calibration shards disagree on the calibration windows (do the evaluators see the same "
                        + "text and tokenizer?)";
            }
            covered += o.calibration().windows();
        }
        return covered == total ? null : "the calibration shards cover " + covered + " of the " + total
                + " calibration windows";
    }
}
