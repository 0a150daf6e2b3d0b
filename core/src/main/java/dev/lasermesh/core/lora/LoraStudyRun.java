package dev.lasermesh.core.lora;

import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the variants of the order study in this process: per text one incremental evaluator,
 * every variant anchored in turn, so a variant that differs from the one before only in its last
 * layers recomputes only those (bit for bit a full pass, see {@link PerplexityEvaluator}).
 */
public final class LoraStudyRun {

    /** A named text's windows. */
    public record Text(String name, WindowPlan plan) {
    }

    /** Receives each finished evaluation. */
    @FunctionalInterface
    public interface Progress {
        void evaluated(String variant, String text, double perplexity);
    }

    private LoraStudyRun() {
    }

    /**
     * The perplexity of every variant on every text.
     *
     * @param weights    the base model the variants overlay
     * @param cacheBytes memory bound of each evaluator's hidden-state cache
     * @return one result per variant, in the given order, with one perplexity per text
     */
    public static List<LoraStudyReport.VariantResult> evaluate(DecoderWeights weights, List<Text> texts,
                                                               List<StudyVariant> variants, StudyMatrices matrices,
                                                               int threads, long cacheBytes, Progress progress) {
        Map<String, Map<String, Double>> perplexities = new LinkedHashMap<>();
        variants.forEach(v -> perplexities.put(v.name(), new LinkedHashMap<>()));
        for (Text text : texts) {
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, text.plan(), threads, cacheBytes)) {
                for (StudyVariant variant : variants) {
                    ModelState state = weights.baseState().withAll(matrices.overlays(variant));
                    double ppl = text.plan().result(evaluator.anchor(state, EvalProgress.NONE).sums()).perplexity();
                    perplexities.get(variant.name()).put(text.name(), ppl);
                    progress.evaluated(variant.name(), text.name(), ppl);
                }
            }
        }
        List<LoraStudyReport.VariantResult> results = new ArrayList<>();
        for (StudyVariant v : variants) {
            results.add(new LoraStudyReport.VariantResult(v.name(), v.description(), perplexities.get(v.name())));
        }
        return results;
    }
}
