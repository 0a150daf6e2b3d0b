package dev.lasermesh.core.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code knn-accuracy} of the MiniLM fixture on its task against {@code reference.json → task}: the
 * base model's test and train-LOO counts exactly, and the test count after each of the four listed
 * single-matrix laserRMT truncations (each scored from the cached input of its layer, so this also
 * checks that the incremental pass gives the full pass's numbers: the reference made them with full
 * passes).
 */
class MiniLmKnnAccuracyTest {

    private static final Map<String, String> SHORT_NAMES = Map.of(
            "attention.self.query", "q", "attention.self.key", "k", "attention.self.value", "v",
            "attention.output.dense", "o", "intermediate.dense", "up", "output.dense", "down");

    @Test
    void baseAndSingleTruncationAccuraciesMatchTheReference() {
        JsonNode reference = Fixtures.json("minilm/reference.json").get("task");
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        MatrixAnalyzer analyzer = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy());
        MatrixTruncator truncator = new MatrixTruncator(linearAlgebra);
        try (ModelSource source = ModelSource.open(Fixtures.path("minilm"));
             EncoderModel model = EncoderModel.of(source);
             TaskEvaluator evaluator = new TaskEvaluator(model, TaskFolder.read(Fixtures.path("minilm/task")),
                     Runtime.getRuntime().availableProcessors(), 1L << 30)) {
            EncoderState base = model.weights().baseState();
            KnnAccuracy.Score test = evaluator.anchor(base, TaskSplit.TEST);
            assertEquals(reference.get("base_float32").get("test_correct").asInt(), test.correct());
            assertEquals(400, test.examples());
            assertEquals(reference.get("base_float32").get("test_accuracy").asDouble(), test.accuracy());
            KnnAccuracy.Score loo = evaluator.score(base, TaskSplit.TRAIN_LOO);
            assertEquals(reference.get("base_float32").get("train_loo_correct").asInt(), loo.correct());
            for (JsonNode t : reference.get("single_truncations_float32")) {
                int layer = t.get("layer").asInt();
                MatrixRef matrix = source.catalogue().get(layer, SHORT_NAMES.get(t.get("module").asText()));
                double[] s = analyzer.analyze(source, matrix).summary().orElseThrow().singularValues();
                EncoderState state = base.with(matrix.name(), truncator.asWritten(source, matrix, s, t.get("k").asInt()));
                assertEquals(layer, evaluator.resumeStage(state) == 0 ? 0 : layer, "resumes at its layer");
                KnnAccuracy.Score score = evaluator.score(state, TaskSplit.TEST);
                assertEquals(t.get("test_correct").asInt(), score.correct(), matrix.name() + " k " + t.get("k"));
            }
        }
    }
}
