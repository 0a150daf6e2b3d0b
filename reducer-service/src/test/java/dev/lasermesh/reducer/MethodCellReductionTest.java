package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.MethodCell;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reducer's methods-study cells (issue 14) on tiny-llama's {@code model.layers.5.mlp.down_proj.weight},
 * with calibration statistics of two moby-dick windows in the artifact store: for each method the stored
 * tensor and the recorded errors are bit for bit what core's {@link MethodStudy#cell} — the standalone
 * {@code study methods}'s construction — computes at the budget's rank, and statistics missing from the
 * store fail the task instead of the worker.
 */
class MethodCellReductionTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama");
    private static final MatrixId DOWN = new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down");
    private static final String STATISTICS = "jobs/j-1/calibration/merged";
    private static final LinearAlgebra LINEAR_ALGEBRA = LinearAlgebras.create(1);

    @TempDir
    Path store;
    private CalibrationStore statistics;

    @BeforeEach
    void calibrate() {
        try (ModelSource model = ModelSource.open(TINY_LLAMA); TextTokenizer tokenizer = TextTokenizer.load(TINY_LLAMA)) {
            statistics = CalibrationPass.run(DecoderWeights.bind(model.decoderConfig(), model.tensors()),
                    Evaluation.plan(model.decoderConfig(), tokenizer, List.of(FIXTURES.resolve("text/moby-dick.txt")),
                            ProtocolSpec.laserRmt(128).withMaxTokens(256)),
                    List.of(model.catalogue().byName(DOWN.tensor())), store.resolve(STATISTICS), 1,
                    CalibrationPass.Progress.NONE);
        }
    }

    private ReductionResult run(String method, String statistics, int rank) {
        ReductionTransform transform = new ReductionTransform(new MethodCell(method, statistics));
        ReductionTask task = new ReductionTask(ContractVersion.CURRENT, "j-1", TaskIds.reduction("j-1", DOWN.tensor(),
                OutputForm.DENSE, rank, transform), TINY_LLAMA.toString(), DOWN, rank, OutputForm.DENSE,
                "jobs/j-1/reduced/" + method + "-k" + rank + ".safetensors", transform);
        return Json.read(new TaskRunner<>(new ReductionHandler(LINEAR_ALGEBRA, store,
                new PathRoots("model", List.of(FIXTURES)))).run(Json.write(task)).json(), ReductionResult.class);
    }

    @Test
    void eachMethodsCellIsWhatTheStandaloneStudyBuilds() {
        for (ReductionMethod method : ReductionMethod.values()) {
            MethodStudy.MatrixCell expected;
            int rank;
            try (ModelSource model = ModelSource.open(TINY_LLAMA)) {
                MatrixRef m = model.catalogue().byName(DOWN.tensor());
                rank = MethodStudy.rank(m, 0.4);
                expected = MethodStudy.cell(new MethodDecompositions(method, statistics, LINEAR_ALGEBRA), m,
                        model.readMatrix(m), rank);
            }
            assertEquals(75, rank, "the fixture's budget rank of a 256x704 matrix at r = 0.4");
            ReductionResult result = run(method.cliName(), STATISTICS, rank);
            assertTrue(result.succeeded(), () -> result.failure().reason());
            TensorRef ref = result.output().overlay().tensors().getFirst();
            try (SafetensorsFile file = SafetensorsFile.open(ref.file(store))) {
                assertArrayEquals(expected.values(), file.readFloats(ref.tensor()), method.cliName());
            }
            assertEquals(expected.errors(), result.output().methodErrors(), method.cliName());
            assertEquals(expected.energyKept(), result.output().energyKept(), method.cliName());
            assertTrue(result.output().methodErrors().activationError() > 0, method.cliName());
            assertTrue(result.output().frobeniusError() > 0, method.cliName());
        }
    }

    @Test
    void missingStatisticsFailTheTask() {
        ReductionResult result = run("whitened", "jobs/j-2/calibration/merged", 75);
        assertFalse(result.succeeded());
    }
}
