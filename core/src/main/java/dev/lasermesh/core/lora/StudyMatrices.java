package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.DTypeRounding;
import dev.lasermesh.core.reduce.RankTruncation;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the matrices of study variants ({@link MatrixRecipe}) as float32 arrays for the evaluator's
 * overlays. Each recipe is built once and the same array handed to every variant that uses it: the
 * incremental evaluator recognises unchanged layers by array identity, so variants that share their
 * first layers (the merged model and the two LASER orders on its last layer, say) only recompute the
 * layers where they differ. All arrays stay in memory for the study (meant for models that fit).
 */
public final class StudyMatrices {

    private final BaseWeights base;
    private final LoraAdapter adapter;
    private final Map<String, AdaptedMatrix> adapted = new LinkedHashMap<>();
    private final LinearAlgebra linearAlgebra;
    private final Map<MatrixRecipe, float[]> built = new HashMap<>();

    public StudyMatrices(BaseWeights base, LoraAdapter adapter, List<AdaptedMatrix> adapted, LinearAlgebra linearAlgebra) {
        this.base = base;
        this.adapter = adapter;
        adapted.forEach(a -> this.adapted.put(a.matrix().name(), a));
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * One matrix of a study variant built on its own, for a worker of the mesh (the reducer's share of the
     * study in a job): the adapter opened and checked against the model, then {@link #values} of
     * {@code recipe} — the same values {@code study lora} computes the variant with.
     *
     * @param adapterFolder the PEFT adapter folder
     * @throws dev.lasermesh.core.InvalidInputException naming the field or tensor when the adapter does not
     *                                                  fit the model
     */
    public static Single single(ModelSource model, Path adapterFolder, BaseQuantization quantization,
                                MatrixRecipe recipe, LinearAlgebra linearAlgebra) {
        try (LoraAdapter adapter = LoraAdapter.open(adapterFolder)) {
            StudyMatrices matrices = new StudyMatrices(new BaseWeights(model, quantization), adapter,
                    adapter.resolve(model), linearAlgebra);
            float[] values = matrices.values(recipe);
            MatrixRef m = model.catalogue().byName(recipe.matrix());
            double energyKept = switch (recipe.kind()) {
                case BASE, MERGED -> 1.0;
                case MERGED_THEN_LASER -> energyKept(matrices.merged(m), recipe.rank(), linearAlgebra);
                case LASER, LASER_THEN_MERGED -> energyKept(matrices.base(m), recipe.rank(), linearAlgebra);
            };
            return new Single(values, energyKept);
        }
    }

    /**
     * One matrix built alone.
     *
     * @param values     its float32 values, row-major (each a value of the base dtype)
     * @param energyKept Σ_{i&lt;k}σ_i² / Σσ_i² of the matrix the recipe truncates (W or W'); 1 untruncated
     */
    public record Single(float[] values, double energyKept) {
    }

    private static double energyKept(DenseMatrix w, int k, LinearAlgebra linearAlgebra) {
        return SpectralStatistics.energyKept(linearAlgebra.singularValues(w), k);
    }

    /** Whether the adapter changes {@code matrix}. */
    public boolean adapted(String matrix) {
        return adapted.containsKey(matrix);
    }

    /** W in float64 (the NF4 round trip under {@code --base-quant nf4}). */
    public DenseMatrix base(MatrixRef matrix) {
        return base.read(matrix);
    }

    /** W' = round(W + ΔW) as stored, widened to float64; W rounded to the dtype when the adapter leaves the matrix alone. */
    public DenseMatrix merged(MatrixRef matrix) {
        AdaptedMatrix a = adapted.get(matrix.name());
        DenseMatrix w = base.read(matrix);
        return a == null ? DTypeRounding.round(w, matrix.dtype()) : LoraMerge.rounded(w, adapter.delta(a), matrix.dtype());
    }

    /** The values of every recipe of {@code variant}, by tensor name. */
    public Map<String, float[]> overlays(StudyVariant variant) {
        Map<String, float[]> overlays = new HashMap<>();
        variant.recipes().forEach(r -> overlays.put(r.matrix(), values(r)));
        return overlays;
    }

    /** The float32 values of one recipe, built on first use. */
    public synchronized float[] values(MatrixRecipe recipe) {
        float[] cached = built.get(recipe);
        if (cached == null) {
            cached = toFloats(build(recipe));
            built.put(recipe, cached);
        }
        return cached;
    }

    private DenseMatrix build(MatrixRecipe recipe) {
        MatrixRef m = base.model().catalogue().byName(recipe.matrix());
        return switch (recipe.kind()) {
            case BASE -> DTypeRounding.round(base(m), m.dtype());
            case MERGED -> merged(m);
            case LASER -> truncated(base(m), recipe.rank(), m);
            case MERGED_THEN_LASER -> truncated(merged(m), recipe.rank(), m);
            case LASER_THEN_MERGED -> {
                DenseMatrix reduced = truncated(base(m), recipe.rank(), m);
                AdaptedMatrix a = adapted.get(m.name());
                yield a == null ? reduced : LoraMerge.rounded(reduced, adapter.delta(a), m.dtype());
            }
        };
    }

    /** round(W_k), W_k = U_k·diag(S_k)·V_kᵀ in float64 (laserRMT's reconstruction). */
    private DenseMatrix truncated(DenseMatrix w, int k, MatrixRef m) {
        return DTypeRounding.round(RankTruncation.reconstruct(linearAlgebra.topK(w, k), k), m.dtype());
    }

    private static float[] toFloats(DenseMatrix m) {
        double[] d = m.data();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
