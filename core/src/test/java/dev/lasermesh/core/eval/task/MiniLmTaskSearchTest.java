package dev.lasermesh.core.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * laserRMT's greedy search on the MiniLM task by train-LOO {@code knn-accuracy} against
 * {@code minilm/search-reference.json}: every candidate of the trace (layers 5, 4, 3 × q, k, v, o, up,
 * down — the FFN {@code output.dense} sixth), its rank, its train-LOO count and the decision (a tie
 * with the best is rejected), then the final counts: train-LOO 302 → 313 while test falls 318 → 311.
 */
class MiniLmTaskSearchTest {

    private static final Map<String, String> SHORT_NAMES = Map.of(
            "attention.self.query", "q", "attention.self.key", "k", "attention.self.value", "v",
            "attention.output.dense", "o", "intermediate.dense", "up", "output.dense", "down");

    @Test
    void theGreedyTraceAndTheFinalAccuraciesMatchTheReference() {
        JsonNode reference = Fixtures.json("minilm/search-reference.json").get("float32");
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        MatrixAnalyzer analyzer = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy());
        try (ModelSource source = ModelSource.open(Fixtures.path("minilm"));
             EncoderModel model = EncoderModel.of(source);
             TaskEvaluator evaluator = new TaskEvaluator(model, TaskFolder.read(Fixtures.path("minilm/task")),
                     Runtime.getRuntime().availableProcessors(), 1L << 30)) {
            List<MatrixAnalysis> analyses = source.catalogue().defaultSelection().stream()
                    .map(m -> analyzer.analyze(source, m)).toList();
            LaserRmtGreedySpec spec = new LaserRmtGreedySpec(SearchCandidates.of(analyses),
                    ModelFamilies.BERT.searchOrder(), 5, false);
            TaskSearch.Result result = new TaskSearch(source, model, evaluator, new MatrixTruncator(linearAlgebra),
                    analyses).run(spec, (request, score, trace) -> { });
            List<TraceEntry> trace = result.outcome().trace();
            JsonNode expected = reference.get("trace");
            assertEquals(expected.size(), trace.size());
            for (int i = 0; i < trace.size(); i++) {
                JsonNode e = expected.get(i);
                TraceEntry t = trace.get(i);
                String where = "candidate " + (i + 1);
                assertEquals(e.get("layer").asInt(), t.layer(), where);
                assertEquals(SHORT_NAMES.get(e.get("module").asText()), t.module(), where);
                assertEquals(e.get("k").asInt(), t.rank(), where);
                assertEquals(e.get("train_loo_correct").asInt(), Math.round(t.perplexity() * 400), where);
                assertEquals(e.get("train_loo_accuracy").asDouble(), t.perplexity(), where);
                assertEquals(e.get("accepted").asBoolean(), t.accepted(), where);
            }
            assertEquals(reference.get("base_train_loo_correct").asInt(), Math.round(result.outcome().baselinePerplexity() * 400));
            assertEquals(reference.get("final_train_loo_correct").asInt(), Math.round(result.outcome().finalPerplexity() * 400));
            assertEquals(reference.get("base_test_correct").asInt(), result.baselineTest().correct());
            assertEquals(reference.get("final_test_correct").asInt(), result.finalTest().correct());
        }
    }
}
