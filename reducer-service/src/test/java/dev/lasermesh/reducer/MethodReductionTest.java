package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.CalibratedMethod;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.EvaluationModel;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.tensor.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reduction by a calibrated method (DESIGN §7.4) on tiny-llama's layers.0.q_proj, with statistics of
 * four moby-dick windows in the artifact store: the stored factors, the accounting and the method's
 * errors are exactly core's {@link MethodTruncation} on the same statistics (what {@code reduce --method}
 * computes), a redelivery reports the same errors from the file, and missing statistics fail the task.
 */
class MethodReductionTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama");
    private static final MatrixId Q = new MatrixId("model.layers.0.self_attn.q_proj.weight", 0, "q");
    private static final String STATISTICS = "jobs/j-1/calibration/merged";
    private static final int K = 32;

    private final LinearAlgebra linearAlgebra = LinearAlgebras.create(1);

    @TempDir
    Path store;

    @BeforeEach
    void calibrate() {
        try (EvaluationModel model = EvaluationModel.open(TINY_LLAMA);
             ModelSource source = ModelSource.open(TINY_LLAMA)) {
            CalibrationPass.run(model.weights(), Evaluation.plan(model.config(), model.tokenizer(),
                    List.of(FIXTURES.resolve("text/moby-dick.txt")), ProtocolSpec.laserRmt(128).withMaxTokens(512)),
                    List.of(source.catalogue().byName(Q.tensor())), store.resolve(STATISTICS), 1,
                    CalibrationPass.Progress.NONE);
        }
    }

    private static ReductionTask task(CalibratedMethod method) {
        OutputForm form = OutputForm.FACTORED;
        return new ReductionTask(ContractVersion.CURRENT, "j-1", TaskIds.reduction("j-1", Q.tensor(), form, K),
                TINY_LLAMA.toString(), Q, K, form, "jobs/j-1/reduced/" + Q.tensor() + ".factored-k" + K + ".safetensors",
                null, method);
    }

    private ReductionResult reduce(ReductionTask task) {
        return Json.read(new TaskRunner<>(new ReductionHandler(linearAlgebra, store,
                new PathRoots("model", List.of(FIXTURES)))).run(Json.write(task)).json(), ReductionResult.class);
    }

    @Test
    void aFeatureReductionIsCoresMethodTruncation() {
        ReductionResult first = reduce(task(new CalibratedMethod("feature", STATISTICS)));
        assertTrue(first.succeeded(), () -> first.failure().reason());
        try (ModelSource source = ModelSource.open(TINY_LLAMA)) {
            MatrixRef q = source.catalogue().byName(Q.tensor());
            MethodTruncation method = new MethodTruncation(new MethodDecompositions(ReductionMethod.FEATURE,
                    new CalibrationStore(store.resolve(STATISTICS)), linearAlgebra));
            double[] spectrum = method.of(q, source.readMatrix(q)).values();
            FactoredReduction expected = new MatrixTruncator(linearAlgebra, method).factored(source, q, spectrum, K);
            assertEquals(method.report().matrices().get(Q.tensor()), first.output().methodErrors());
            assertEquals(expected.result().error(), first.output().frobeniusError());
            assertEquals(expected.result().energyKept(), first.output().energyKept());
            try (SafetensorsFile file = SafetensorsFile.open(store.resolve(task(null).outputPath()))) {
                assertArrayEquals(floats(expected.factors().a().data()), file.readFloats(Q.tensor() + ".left"));
                assertArrayEquals(floats(expected.factors().b().data()), file.readFloats(Q.tensor() + ".right"));
            }
        }
        ReductionResult again = reduce(task(new CalibratedMethod("feature", STATISTICS)));
        assertEquals(first.output().methodErrors(), again.output().methodErrors());
        assertEquals(first.output().overlay(), again.output().overlay());
    }

    /** Values rounded to float32 (round to nearest even), as the reducer writes an F32 matrix. */
    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    @Test
    void missingStatisticsFailTheTaskNamingThem() {
        ReductionResult result = reduce(task(new CalibratedMethod("whitened", "jobs/j-2/calibration/merged")));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("j-2"), result.failure().reason());
    }
}
