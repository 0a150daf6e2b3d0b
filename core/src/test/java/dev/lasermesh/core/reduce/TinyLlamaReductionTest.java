package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.linalg.BackendChoice;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.tensor.DType;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Truncation of two real tiny-llama matrices at the reference's laserRMT rank, against
 * {@code tiny-llama/reference.json} ({@code laser.matrices}, PyTorch float64): ‖W − W_k‖_F in
 * float64 and after casting W_k to float32. The SVD comes from the project's backends, as in a real
 * run; the float64 error to 1e-10 relative, the float32-rounded error to 1e-11 relative (it differs
 * from the float64 one by 1e-10 relative, so the rounding itself is checked).
 */
class TinyLlamaReductionTest {

    @ParameterizedTest
    @EnumSource(value = BackendChoice.class, names = {"OPENBLAS", "JAVA"})
    void errorsMatchTheReferenceAtTheLaserRmtRank(BackendChoice backend) {
        LinearAlgebra linearAlgebra = LinearAlgebras.create(backend, 1);
        JsonNode matrices = Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
        for (Map.Entry<String, JsonNode> e : matrices.properties()) {
            JsonNode ref = e.getValue();
            DenseMatrix w = Fixtures.matrix("tiny-llama/model.safetensors", e.getKey());
            int k = ref.get("k").intValue();
            Svd svd = linearAlgebra.topK(w, k);
            ReductionResult r = RankReducer.dense(w, svd, linearAlgebra.singularValues(w), k, DType.F32).result();
            double float64 = ref.get("frobenius_norm_diff_float64_reconstruction").doubleValue();
            double float32 = ref.get("frobenius_norm_diff_float32_reconstruction").doubleValue();
            assertEquals(float64, r.error(), 1e-10 * float64, e.getKey());
            assertEquals(float32, r.roundedError(), 1e-11 * float32, e.getKey());
            assertEquals(ref.get("frobenius_norm_original").doubleValue(), r.frobeniusNorm(), 1e-12 * r.frobeniusNorm());
        }
    }
}
