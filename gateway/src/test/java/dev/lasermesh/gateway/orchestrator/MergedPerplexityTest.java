package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.PartialSums;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.gateway.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Shards scored separately and merged by the gateway give the perplexity of one pass exactly, and that
 * perplexity is the independent PyTorch reference's (tiny-llama/reference.json).
 *
 * <p>A Quarkus test only because the tokenizer's native library can be loaded by one class loader per
 * JVM and the other Quarkus tests of this module load it in the application's: this test shares their
 * application (same test resources) and so their class loader.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class MergedPerplexityTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final Path TEXT = Fixtures.path("text/sotu-2009-2021.txt");

    private static double[] mergedAndWhole(EvaluationSpec spec, int shards) {
        try (ModelSource model = ModelSource.open(MODEL); TextTokenizer tokenizer = TextTokenizer.load(MODEL)) {
            DecoderWeights weights = DecoderWeights.bind(model.decoderConfig(), model.tensors());
            WindowPlan plan = Evaluation.plan(model.decoderConfig(), tokenizer, List.of(TEXT),
                    MergedPerplexity.protocol(spec));
            double whole;
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, 2, 0)) {
                whole = evaluator.evaluate(weights.baseState(), EvalProgress.NONE).perplexity();
            }
            List<EvaluationSums> parts = new ArrayList<>();
            for (WindowShard shard : WindowShards.cut(0, plan.windows().size(), shards)) {
                try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights,
                        plan.range(shard.first(), shard.end()), 1, 0)) {
                    PartialSums s = evaluator.score(weights.baseState(), EvalProgress.NONE).sums();
                    parts.add(new EvaluationSums(s.nllSum(), s.tokens(), s.windows(), s.windowMeanSum()));
                }
            }
            return new double[] {MergedPerplexity.of(MergedPerplexity.sum(parts), spec).perplexity(), whole};
        }
    }

    private static JsonNode reference(String protocol) throws IOException {
        return new ObjectMapper().readTree(Fixtures.path("tiny-llama/reference.json").toFile()).get("perplexity")
                .get("float32").get(protocol);
    }

    @Test
    void laserRmtShardsMergeToOnePassAndTheReference() throws IOException {
        JsonNode ref = reference("laserrmt");
        EvaluationSpec spec = new EvaluationSpec(List.of(TEXT.toString()), "laserrmt", ref.get("window").asInt(),
                ref.get("window").asInt(), 8192);
        double[] ppl = mergedAndWhole(spec, 3);
        assertEquals(ppl[1], ppl[0], 0.0, "merged shards equal one pass exactly");
        assertEquals(ref.get("ppl").asDouble(), ppl[0], 1e-5 * ref.get("ppl").asDouble(), "PyTorch reference, 1e-5 rel.");
    }
}
