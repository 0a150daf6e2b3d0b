package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.JobError;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.contracts.job.MatrixView;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.GridPoint;
import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.SequentialSearch;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.gateway.store.OutboxEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator driven without workers: real results computed with core ({@link CoreWorkers}) are
 * fed to its handlers in shuffled order, against the real job store. A searching job must end with
 * exactly the trace, perplexities and accepted matrices of the same search run in process
 * ({@link SequentialSearch}), whatever the order and repetitions of the results.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class OrchestratorTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final Path TEXT = Fixtures.path("text/sotu-2009-2021.txt");
    private static final Duration ASSEMBLY = Duration.ofSeconds(60);

    @Inject
    Orchestrator orchestrator;
    @Inject
    JobPlanner planner;
    @Inject
    JobStore store;
    @Inject
    JobViews views;
    @Inject
    GatewayConfig config;

    CoreWorkers workers;

    @BeforeEach
    void workers() {
        workers = new CoreWorkers(config.artifacts());
    }

    @AfterEach
    void close() {
        workers.close();
    }

    private String submit(String json) {
        return store.create(planner.plan(Json.read(json, JobSpec.class))).id;
    }

    private static List<MatrixAnalysis> analyses(ModelSource model, String layers, String modules) {
        MatrixAnalyzer analyzer = new MatrixAnalyzer(LinearAlgebras.create(), new LaserRmtPolicy());
        return model.catalogue().select(layers, modules).stream().map(m -> analyzer.analyze(model, m)).toList();
    }

    private static Candidate candidate(MatrixAnalysis a) {
        var s = a.summary().orElseThrow();
        return new Candidate(a.matrix().name(), a.matrix().layer(), a.matrix().module(), s.decision().k(),
                s.snr());
    }

    private JsonNode report(String id) throws IOException {
        return new ObjectMapper().readTree(config.artifacts().resolve(views.output(id))
                .resolve(ReducedModelWriter.REPORT_FILE).toFile());
    }

    @Test
    void aGreedySearchJobEqualsTheSequentialSearchWithEveryResultDeliveredTwice() throws IOException {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "4-5"},
                 "strategy": {"strategy": "laserrmt-greedy"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024}}""");
        int delivered = new JobDriver(orchestrator, workers, 1).run(id, d -> d.repeated(2));
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, ASSEMBLY).status, () -> views.job(id).toString());
        JobView view = views.job(id);

        SearchOutcome expected;
        try (ModelSource model = ModelSource.open(MODEL)) {
            List<Candidate> candidates = analyses(model, "4-5", "down,up,q,k,v,o").stream()
                    .map(OrchestratorTest::candidate).toList();
            expected = SequentialSearch.run(MODEL, List.of(TEXT), ProtocolSpec.laserRmt(128).withMaxTokens(1024),
                    LaserRmtGreedySpec.withDefaults(candidates));
        }
        assertEquals(expected.trace(), views.candidates(id), "trace: candidates, order, ranks, perplexities, decisions");
        assertEquals(expected.baselinePerplexity(), view.baselinePerplexity());
        assertEquals(expected.finalPerplexity(), view.finalPerplexity());

        var progress = view.progress();
        assertEquals(12, progress.analysis().total());
        assertEquals(progress.analysis().total(), progress.analysis().done(), "each analysis counted once");
        assertEquals(progress.evaluation().total(), progress.evaluation().done(), "each shard counted once");
        assertEquals(2 * (progress.analysis().total() + progress.reduction().total() + progress.evaluation().total()),
                delivered, "every result was delivered twice");

        JsonNode report = report(id);
        assertEquals(expected.finalPerplexity(), report.get("perplexity").get("after").asDouble());
        assertEquals(expected.accepted().size(), report.get("matrices").size());
        assertEquals(expected.accepted().size(), report.get("search").get("accepted").size());
        try (ModelSource model = ModelSource.open(MODEL);
             SafetensorsFile output = SafetensorsFile.open(config.artifacts().resolve(view.output())
                     .resolve("model.safetensors"))) {
            MatrixTruncator truncator = new MatrixTruncator(LinearAlgebras.create());
            for (Candidate c : expected.accepted()) {
                var m = model.catalogue().byName(c.matrix());
                double[] s = new MatrixAnalyzer(LinearAlgebras.create(), new LaserRmtPolicy()).analyze(model, m)
                        .summary().orElseThrow().singularValues();
                assertArrayEquals(truncator.asWritten(model, m, s, c.rank()), output.readFloats(c.matrix()),
                        c.matrix() + " in the output is the evaluated reconstruction");
            }
        }
        List<MatrixView> matrices = views.matrices(id);
        assertEquals(expected.accepted().size(), matrices.stream().filter(m -> m.reduction() != null).count());
    }

    @Test
    void aGridJobScoresSplitsAsTheSequentialGrid() throws IOException {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,down"},
                 "strategy": {"strategy": "laser-grid", "rhos": [0.5, 0.05], "validationFraction": 0.25},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024}, "output": "factored"}""");
        new JobDriver(orchestrator, workers, 2).run(id);
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, ASSEMBLY).status, () -> views.job(id).toString());

        SearchOutcome expected;
        try (ModelSource model = ModelSource.open(MODEL)) {
            List<GridPoint> points = new ArrayList<>();
            for (MatrixAnalysis a : analyses(model, "5", "q,down")) {
                var s = a.summary().orElseThrow();
                for (double rho : List.of(0.5, 0.05)) {
                    int k = new FractionPolicy(rho).decide(s.singularValues(), s.rows(), s.cols()).k();
                    Candidate c = candidate(a);
                    points.add(new GridPoint(new Candidate(c.matrix(), c.layer(), c.module(), k, c.snr()), rho));
                }
            }
            expected = SequentialSearch.run(MODEL, List.of(TEXT), ProtocolSpec.laserRmt(128).withMaxTokens(1024),
                    new LaserGridSpec(points, 0.25));
        }
        assertEquals(expected.trace(), views.candidates(id));
        JobView view = views.job(id);
        assertEquals(expected.baselinePerplexity(), view.baselinePerplexity());
        assertEquals(expected.finalPerplexity(), view.finalPerplexity());
        JsonNode report = report(id);
        assertEquals("factored", report.get("form").asText());
        assertEquals("report", report.get("search").get("split").asText());
    }

    @Test
    void aJobWithoutEvaluationReducesEveryMatrixBelowFullRankInTheOutputForm() throws IOException {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,k,v"},
                 "output": "factored"}""");
        new JobDriver(orchestrator, workers, 3).run(id);
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, ASSEMBLY).status, () -> views.job(id).toString());
        JobView view = views.job(id);
        assertEquals(3, view.progress().reduction().total());
        assertEquals(0, view.progress().evaluation().total());
        assertEquals(null, view.baselinePerplexity());
        JsonNode report = report(id);
        assertEquals(3, report.get("totals").get("matrices").asInt());
        assertFalse(report.has("search"));
        assertTrue(report.get("matrices").get(0).get("written_as").get(0).asText().endsWith(".0.weight"));
    }

    @Test
    void aRetryableFailureSendsTheTaskAgainAndAFailedAnalysisLeavesItsMatrixOut() throws IOException {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,k"}}""");
        String retried = id + "/analysis/model.layers.5.self_attn.q_proj.weight";
        String broken = id + "/analysis/model.layers.5.self_attn.k_proj.weight";
        AtomicBoolean failedOnce = new AtomicBoolean();
        long sentBefore = outboxRows(retried);
        new JobDriver(orchestrator, workers, 4).run(id, d -> {
            if (d.task().taskId.equals(retried) && failedOnce.compareAndSet(false, true)) {
                return d.instead(AnalysisResult.failed(Json.read(d.task().payload, AnalysisTask.class),
                        new TaskFailure("artifact store momentarily unreadable", true)));
            }
            if (d.task().taskId.equals(broken)) {
                return d.instead(AnalysisResult.failed(Json.read(d.task().payload, AnalysisTask.class),
                        new TaskFailure("tensor model.layers.5.self_attn.k_proj.weight: NaN at element [1, 2]", false)));
            }
            return d;
        });
        assertEquals(sentBefore + 1, outboxRows(retried), "the retried task was sent once more");
        assertEquals(2, QuarkusTransaction.requiringNew().call(() -> TaskEntity.<TaskEntity>findById(retried).attempts));
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, ASSEMBLY).status, () -> views.job(id).toString());
        JobView view = views.job(id);
        assertEquals(List.of(new JobError(broken, "tensor model.layers.5.self_attn.k_proj.weight: NaN at element [1, 2]")),
                view.errors());
        assertEquals(1, view.progress().analysis().failed());
        JsonNode matrices = report(id).get("matrices");
        assertEquals(2, matrices.size(), "the report lists the failed matrix too, as the standalone's reduce does");
        assertTrue(matrices.get(1).get("kept_because").asText().startsWith("analysis failed: tensor"));
    }

    @Test
    void aNonRetryableReductionFailureFailsTheJobAndLateResultsAreIgnored() {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,k"}}""");
        List<String> late = new ArrayList<>();
        new JobDriver(orchestrator, workers, 5).run(id, d -> {
            if (d.task().taskId.contains("/reduction/model.layers.5.self_attn.q_proj.weight/")) {
                return d.instead(ReductionResult.failed(Json.read(d.task().payload, ReductionTask.class),
                        new TaskFailure("no space left on the artifact store", false)));
            }
            if (d.result() instanceof ReductionResult) {
                late.add(d.task().taskId);
            }
            return d;
        });
        JobView view = views.job(id);
        assertEquals(JobStatus.FAILED, view.status());
        assertTrue(view.errors().getLast().message().contains("no space left on the artifact store"),
                view.errors().toString());
        assertTrue(view.errors().getFirst().taskId().contains("q_proj"));
        assertEquals(null, view.output());
        for (String taskId : late) {
            TaskStatus status = QuarkusTransaction.requiringNew().call(() -> TaskEntity.<TaskEntity>findById(taskId).status);
            assertTrue(status == TaskStatus.CANCELLED || status == TaskStatus.DONE, taskId + " " + status);
        }
    }

    /**
     * A stored tensor that changed after its result was taken fails the assembly: the job ends FAILED with a
     * reason naming the step and the tensor, instead of staying assembling (issue 13).
     */
    @Test
    void anAssemblyThatFailsFailsTheJobWithTheReason() {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,k"}}""");
        String q = "model.layers.5.self_attn.q_proj.weight";
        new JobDriver(orchestrator, workers, 8).run(id, d -> {
            if (d.result() instanceof ReductionResult r && d.task().taskId.contains("/reduction/" + q + "/")) {
                flipLastByte(r.output().overlay().tensors().getFirst().file(config.artifacts()));
            }
            return d;
        });
        assertEquals(JobStatus.FAILED, JobDriver.awaitEnd(id, ASSEMBLY).status, () -> views.job(id).toString());
        JobView view = views.job(id);
        String reason = view.errors().getLast().message();
        assertTrue(reason.startsWith("assembling the output failed: writing " + q + ": "), reason);
        assertTrue(reason.contains("SHA-256"), reason);
        assertEquals(null, view.output());
    }

    private static void flipLastByte(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 1] ^= 1;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void evaluatorsThatCountOtherWindowsFailTheJob() {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 512}}""");
        new JobDriver(orchestrator, workers, 6).run(id, d -> {
            if (d.result() instanceof EvaluationResult r) {
                EvaluationOutput o = r.output();
                return d.instead(new EvaluationResult(r.version(), r.jobId(), r.taskId(), r.requestId(), r.shard(),
                        new EvaluationOutput(o.sums(), o.totalWindows() + 1, o.seconds(), o.tokensPerSecond(), o.backend()),
                        null));
            }
            return d;
        });
        JobView view = views.job(id);
        assertEquals(JobStatus.FAILED, view.status());
        assertTrue(view.errors().getLast().message().contains("windows in the texts"), view.errors().toString());
    }

    @Test
    void aCancelledJobTakesNoMoreResults() {
        String id = submit("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,k"}}""");
        store.cancel(id);
        int delivered = new JobDriver(orchestrator, workers, 7).run(id);
        assertEquals(0, delivered, "no task of a cancelled job is pending");
        JobView view = views.job(id);
        assertEquals(JobStatus.CANCELLED, view.status());
        assertEquals(0, view.progress().analysis().done());
        String task = id + "/analysis/model.layers.5.self_attn.q_proj.weight";
        AnalysisTask analysis = Json.read(QuarkusTransaction.requiringNew()
                .call(() -> TaskEntity.<TaskEntity>findById(task).payload), AnalysisTask.class);
        orchestrator.onAnalysis(workers.analyze(analysis));
        assertEquals(0, views.job(id).progress().analysis().done(), "a late result is ignored");
    }

    private static long outboxRows(String key) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("key", key));
    }
}
