package dev.lasermesh.core.calibrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.EvaluationModel;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.List;

/** The corpus fixture (shared/fixtures/corpus): its reference, calibration windows and model. */
final class CorpusFixture {

    static final JsonNode REF = Fixtures.json("corpus/reference.json");
    static final Path MODEL = Fixtures.path("tiny-llama");
    static final int BOS = 1024;

    private CorpusFixture() {
    }

    /** The 16 windows of 128 tokens of the README: [BOS] + the 2048 calibration ids, the last dropped. */
    static WindowPlan calibrationWindows(String calibration) {
        JsonNode ids = REF.at("/calibration_token_ids/" + calibration);
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = ids.get(i).asInt();
        }
        return WindowPlan.of(ProtocolSpec.laserRmt(128).withMaxTokens(2048),
                List.of(new TokenizedText(calibration, tokens)), BOS);
    }

    /** The 42 linears of tiny-llama. */
    static List<MatrixRef> linears() {
        try (ModelSource source = ModelSource.open(MODEL)) {
            return source.catalogue().matrices().stream().filter(m -> m.layer() >= 0).toList();
        }
    }

    /** Calibrates all 42 linears on {@code plan} into {@code folder}, one thread. */
    static CalibrationStore calibrate(WindowPlan plan, Path folder) {
        return calibrate(plan, folder, 1);
    }

    /** Calibrates all 42 linears on {@code plan} into {@code folder} with {@code threads} threads. */
    static CalibrationStore calibrate(WindowPlan plan, Path folder, int threads) {
        try (EvaluationModel model = EvaluationModel.open(MODEL)) {
            return CalibrationPass.run(model.weights(), plan, linears(), folder, threads, CalibrationPass.Progress.NONE);
        }
    }
}
