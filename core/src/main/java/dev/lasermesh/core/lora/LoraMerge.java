package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.DTypeRounding;
import dev.lasermesh.core.tensor.DType;

/**
 * The merge of a LoRA update into its base matrix, DESIGN §7.3: W' = W + s·B·A computed in float64
 * and rounded once to the base dtype (round to nearest even) — PEFT's {@code merge_and_unload}
 * without the intermediate roundings of a float32 or bfloat16 product.
 */
public final class LoraMerge {

    private LoraMerge() {
    }

    /** W' in float64, before rounding. */
    public static DenseMatrix exact(DenseMatrix w, LowRankDelta delta) {
        if (w.rows() != delta.left().rows() || w.cols() != delta.right().cols()) {
            throw new IllegalArgumentException("update " + delta.left().rows() + "x" + delta.right().cols()
                    + " does not fit " + w);
        }
        double[] sum = delta.dense().data();
        double[] base = w.data();
        for (int i = 0; i < sum.length; i++) {
            sum[i] = base[i] + sum[i];
        }
        return new DenseMatrix(w.rows(), w.cols(), sum);
    }

    /** W' rounded to {@code dtype}, as a merged model stores it (values returned widened to float64). */
    public static DenseMatrix rounded(DenseMatrix w, LowRankDelta delta, DType dtype) {
        return DTypeRounding.round(exact(w, delta), dtype);
    }
}
