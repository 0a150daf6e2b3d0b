package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.SequentialSearch;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An {@code sfsd-surgical} job (SFSD-LLM's surgical search, DESIGN §7.4) through the orchestrator on
 * tiny-llama, with real results computed by core ({@link CoreWorkers}) delivered in shuffled order: its
 * trace (every probe, bound and decision, in order), its perplexities on both splits and its report must
 * be those of the same search run in process over the grid the standalone's {@code lasermesh run
 * --strategy sfsd-surgical} builds ({@link SearchCandidates#surgicalGrid}, {@link SequentialSearch}),
 * exactly: the shards' sums merge to one pass's. The search split's base perplexity is scored here
 * once more on its own.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class SfsdSurgicalJobTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final Path TEXT = Fixtures.path("text/sotu-2009-2021.txt");
    /** A hang guard for the job's end (seconds normally), far above a slow shared machine; not a time bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);
    private static final double TOLERANCE = 1.05;
    private static final double FRACTION = 0.25;
    /** 1024 tokens: 8 windows of 128, the first 2 to search on, the other 6 to report on. */
    private static final String SPEC = """
            {"version": 1, "model": "tiny-llama", "matrices": {"layers": "4-5", "modules": "q,down"},
             "strategy": {"strategy": "sfsd-surgical", "tolerance": %s, "validationFraction": %s},
             "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024}}""";

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

    @Test
    void aSurgicalJobEqualsTheSequentialSearchOnBothSplits() throws IOException {
        String id = store.create(planner.plan(Json.read(SPEC.formatted(TOLERANCE, FRACTION), JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 5).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, HANG_GUARD).status, () -> views.job(id).toString());

        ProtocolSpec protocol = ProtocolSpec.laserRmt(128).withMaxTokens(1024);
        List<Candidate> grid;
        try (ModelSource model = ModelSource.open(MODEL)) {
            MatrixAnalyzer analyzer = new MatrixAnalyzer(LinearAlgebras.create(), new LaserRmtPolicy());
            List<MatrixAnalysis> analyses = model.catalogue().select("4-5", "q,down").stream()
                    .map(m -> analyzer.analyze(model, m)).toList();
            grid = SearchCandidates.surgicalGrid(analyses);
        }
        SearchOutcome expected = SequentialSearch.run(MODEL, List.of(TEXT), protocol,
                new SfsdSurgicalSpec(grid, TOLERANCE, FRACTION));
        List<TraceEntry> trace = views.candidates(id);
        assertEquals(expected.trace(), trace, "trace: probes, order, ranks, perplexities, bounds, decisions");
        assertTrue(trace.stream().anyMatch(TraceEntry::accepted) && trace.stream().anyMatch(e -> !e.accepted()),
                "premise: the search accepts some probes and rejects others");
        assertEquals(SfsdSurgicalSpec.gridRanks(256, 704).size() * 2 + SfsdSurgicalSpec.gridRanks(256, 256).size() * 2,
                grid.size(), "premise: every grid rank of the four matrices");
        assertEquals("model.layers.5.mlp.down_proj.weight", trace.getFirst().matrix(), "the last matrix first");

        JobView view = views.job(id);
        assertEquals(expected.baselinePerplexity(), view.baselinePerplexity());
        assertEquals(expected.finalPerplexity(), view.finalPerplexity());
        assertEquals(grid.size(), view.progress().reduction().total(), "every grid rank reduced, once");

        JsonNode report = new ObjectMapper().readTree(config.artifacts().resolve(views.output(id))
                .resolve(ReducedModelWriter.REPORT_FILE).toFile());
        JsonNode perplexity = report.get("perplexity");
        assertEquals("report", perplexity.get("split").asText());
        assertEquals(expected.baselinePerplexity(), perplexity.get("before").asDouble());
        assertEquals(expected.finalPerplexity(), perplexity.get("after").asDouble());
        assertEquals("validation", perplexity.get("search_split").asText());
        double searchBefore = searchSplitBaseline(protocol);
        assertEquals(searchBefore, perplexity.get("search_before").asDouble());
        assertEquals(trace.stream().filter(TraceEntry::accepted).toList().getLast().perplexity(),
                perplexity.get("search_after").asDouble(), "the state of the last acceptance, on the search split");
        assertEquals(searchBefore * Math.pow(TOLERANCE, 1), trace.getFirst().comparedWith(), 1e-12 * searchBefore,
                "the last matrix's bound: base·T¹");
        assertEquals(SfsdSurgicalSpec.NAME, report.get("search").get("strategy").asText());
        List<String> accepted = expected.accepted().stream().map(c -> c.matrix() + " k=" + c.rank()).toList();
        List<String> written = new ArrayList<>();
        report.get("matrices").forEach(m -> written.add(m.at("/analysis/name").asText() + " k="
                + m.at("/reduction/rank").asText()));
        assertEquals(accepted, written, "the output replaces the accepted matrices at their grid ranks");
    }

    @Test
    void tooFewWindowsForBothSplitsNameTheFraction() {
        ContractException e = assertThrows(ContractException.class,
                () -> planner.plan(Json.read(SPEC.formatted(TOLERANCE, 0.05), JobSpec.class)));
        assertEquals("strategy.validationFraction", e.field(), e.getMessage());
    }

    /** The base model's perplexity on the first {@value #FRACTION} of the windows, scored in one pass. */
    private static double searchSplitBaseline(ProtocolSpec protocol) {
        try (ModelSource source = ModelSource.open(MODEL); TextTokenizer tokenizer = TextTokenizer.load(MODEL)) {
            DecoderWeights weights = DecoderWeights.bind(source.decoderConfig(), source.tensors());
            WindowPlan plan = Evaluation.plan(source.decoderConfig(), tokenizer, List.of(TEXT), protocol);
            int end = new EvaluationRequest("base", Split.VALIDATION, FRACTION, List.of()).endWindow(plan.windows().size());
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan.range(0, end), 2, 0)) {
                return evaluator.evaluate(weights.baseState(), EvalProgress.NONE).perplexity();
            }
        }
    }
}
