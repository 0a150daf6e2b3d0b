package dev.lasermesh.contracts;

import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobError;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobEventPayload;
import dev.lasermesh.contracts.job.JobProgress;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobTimings;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.contracts.job.MatrixSelection;
import dev.lasermesh.contracts.job.MatrixView;
import dev.lasermesh.contracts.job.StageProgress;
import dev.lasermesh.contracts.job.StrategySpec;
import dev.lasermesh.contracts.task.AnalysisOutput;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.DType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One well-formed instance of every contract record, built in Java, for round trips and checks. */
public final class Samples {

    public static final String JOB = "j-7";
    public static final String MODEL = "/srv/models/tiny-llama";
    public static final MatrixId DOWN = new MatrixId("model.layers.3.mlp.down_proj.weight", 3, "down");
    public static final String SHA = "0123456789abcdef".repeat(4);

    private Samples() {
    }

    /** A spectrum whose SNR is infinite (every value above laserRMT's threshold), to test "Infinity". */
    public static SpectrumSummary spectrum() {
        return SpectrumSummary.of(new SingularSpectrum(new double[] {4, 3, 3, 3}, 4, 64), new FractionPolicy(0.5));
    }

    public static AnalysisTask analysisTask() {
        return new AnalysisTask(ContractVersion.CURRENT, JOB, TaskIds.analysis(JOB, DOWN.tensor()), MODEL, DOWN,
                new RankPolicySpec("fraction", 0.5, null, null, null));
    }

    public static ReductionTask reductionTask() {
        return new ReductionTask(ContractVersion.CURRENT, JOB, TaskIds.reduction(JOB, DOWN.tensor(), OutputForm.FACTORED, 2),
                MODEL, DOWN, 2, OutputForm.FACTORED, "jobs/j-7/reduced/down-3.safetensors");
    }

    public static Overlay factoredOverlay() {
        String path = "jobs/j-7/reduced/down-3.safetensors";
        return new Overlay(DOWN.tensor(), List.of(
                new TensorRef(path, DOWN.tensor() + ".left", DType.F32, List.of(256L, 2L), SHA),
                new TensorRef(path, DOWN.tensor() + ".right", DType.BF16, List.of(2L, 704L), SHA)));
    }

    public static ReductionOutput reductionOutput() {
        return new ReductionOutput(factoredOverlay(), 2, 1.5, 0.25, 720896, 4864, 0.5, "cpu-openblas");
    }

    public static EvaluationSpec resolvedEvaluation() {
        return new EvaluationSpec(List.of("/srv/data/a.txt", "/srv/data/b.txt"), "sliding", 64, 32, null);
    }

    public static EvaluationTask evaluationTask() {
        WindowShard shard = new WindowShard(4, null);
        return new EvaluationTask(ContractVersion.CURRENT, JOB, TaskIds.evaluation(JOB, "full-1-abc", shard), "full-1-abc",
                MODEL, List.of(factoredOverlay()), resolvedEvaluation(), shard);
    }

    public static EvaluationSums sums() {
        return new EvaluationSums(new BigDecimal(123.456), 1000, 8, new BigDecimal(0.1));
    }

    public static TraceEntry trace() {
        return new TraceEntry(2, "validation-1-abc", DOWN.tensor(), 3, "down", 25, Double.NaN, 0.1, Split.VALIDATION,
                Double.POSITIVE_INFINITY, 22.5, false);
    }

    public static JobSpec fullSpec() {
        return new JobSpec(ContractVersion.CURRENT, "tiny-llama", new MatrixSelection("0-2", "q,down"),
                RankPolicySpec.named("mp-edge"), new StrategySpec.LaserRmtGreedy(-1, true, List.of("down", "q")),
                new EvaluationSpec(List.of("a.txt"), "chunked-bos", 64, null, 1000), OutputForm.FACTORED);
    }

    public static JobProgress progress() {
        return new JobProgress(new StageProgress(10, 9, 1), new StageProgress(9, 3, 0), StageProgress.NONE);
    }

    /** Every message, one of each kind of result (completed and failed) and each event payload. */
    public static List<Message> messages() {
        TaskFailure bad = new TaskFailure("tensor x: NaN at [0, 1]", false);
        TaskFailure busy = new TaskFailure("out of memory", true);
        Instant at = Instant.parse("2025-02-01T08:30:00.125Z");
        return List.of(analysisTask(),
                AnalysisResult.completed(analysisTask(), new AnalysisOutput(spectrum(), 0.01, "cpu-ejml")),
                AnalysisResult.failed(analysisTask(), bad),
                reductionTask(),
                ReductionResult.completed(reductionTask(), reductionOutput()),
                ReductionResult.failed(reductionTask(), busy),
                evaluationTask(),
                EvaluationResult.completed(evaluationTask(), new EvaluationOutput(sums(), 20, 2.0, 512.0, "cpu")),
                EvaluationResult.failed(evaluationTask(), bad),
                JobEvent.of(JOB, at, new JobEventPayload.StatusChanged(JobStatus.FAILED, "no matrix analysed")),
                JobEvent.of(JOB, at, new JobEventPayload.ProgressUpdated(progress())),
                JobEvent.of(JOB, at, new JobEventPayload.CandidateEvaluated(trace())),
                JobEvent.of(JOB, at, new JobEventPayload.Log(JobEventPayload.Log.Level.INFO, "started")));
    }

    /** Every REST body. */
    public static List<Object> restBodies() {
        JobView view = new JobView(JOB, JobStatus.SEARCHING, fullSpec(), progress(),
                new JobTimings(Instant.parse("2025-02-01T08:00:00Z"), Instant.parse("2025-02-01T08:00:01Z"), null,
                        1.5, 0.0, 12.25),
                List.of(new JobError("j-7/analysis/x", "bad"), new JobError(null, "assembly failed")), 22.5, null, null);
        return List.of(fullSpec(), new JobSpec(ContractVersion.CURRENT, "m", null, null, null, null, null),
                new JobSpec(ContractVersion.CURRENT, "m", null, null, null, null, null, null, "whitened",
                        new CalibrationSpec("moby.txt", 1024, 128)),
                new JobSpec(ContractVersion.CURRENT, "m", null, null, new StrategySpec.OneShot(), null, OutputForm.DENSE),
                new JobSpec(ContractVersion.CURRENT, "m", null, null, new StrategySpec.SnrGreedy(3), null, null),
                new JobSpec(ContractVersion.CURRENT, "m", null, null,
                        new StrategySpec.LaserGrid(List.of(0.5, 0.01), 0.25), null, null),
                view,
                new MatrixView(DOWN, spectrum(), reductionOutput(), null),
                new MatrixView(DOWN, null, null, new TaskFailure("bad", false)),
                trace(),
                new ErrorBody("window must be at least 2 tokens, got 0", "evaluation.window"),
                new ErrorBody("malformed JSON", null));
    }
}
