package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LoRA/LASER order study (the Delahaies study's second question: is LASER more useful before or
 * after fine-tuning?): the models whose perplexities answer it, as variants of the base model —
 * <ol>
 *   <li>{@code base}: the base model (its NF4 round trip under {@code --base-quant nf4});</li>
 *   <li>{@code merged}: the adapter merged, W' = W + s·B·A;</li>
 *   <li>{@code laser}: LASER on the base alone;</li>
 *   <li>{@code lora-then-laser}: the merged model, then LASER with the ranks chosen on W';</li>
 *   <li>{@code laser-then-lora}: the adapter added to the LASER-reduced base, round(W_k) + ΔW, the
 *       other adapted matrices merged.</li>
 * </ol>
 * Planning is separate from evaluation: {@link #variants} is a pure function of names and ranks, so a
 * mesh can fan the variants out; {@link LoraStudyRun} evaluates them in this process.
 */
public final class LoraOrderStudy {

    public static final String BASE = "base";
    public static final String MERGED = "merged";
    public static final String LASER = "laser";
    public static final String LORA_THEN_LASER = "lora-then-laser";
    public static final String LASER_THEN_LORA = "laser-then-lora";

    private LoraOrderStudy() {
    }

    /**
     * One-shot LASER on both sides: the policy's rank of every selected matrix, of W for the base side
     * and of the stored W' for the merged side (laserRMT's one-shot, DESIGN §3.3). A matrix whose rank
     * the policy keeps full stays dense.
     */
    public static LaserChoice oneShot(List<MatrixRef> selection, StudyMatrices matrices, RankPolicy policy,
                                      LinearAlgebra linearAlgebra) {
        Map<String, Integer> onBase = new LinkedHashMap<>();
        Map<String, Integer> onMerged = new LinkedHashMap<>();
        for (MatrixRef m : selection) {
            int k = rank(matrices.base(m), policy, linearAlgebra);
            if (k < m.minDim()) {
                onBase.put(m.name(), k);
            }
            int kMerged = matrices.adapted(m.name()) ? rank(matrices.merged(m), policy, linearAlgebra) : k;
            if (kMerged < m.minDim()) {
                onMerged.put(m.name(), kMerged);
            }
        }
        return new LaserChoice(onBase, onMerged, "one-shot " + policy.name());
    }

    private static int rank(DenseMatrix w, RankPolicy policy, LinearAlgebra linearAlgebra) {
        return policy.decide(new SingularSpectrum(linearAlgebra.singularValues(w), w.rows(), w.cols())).k();
    }

    /**
     * The five variants, in an order that lets an incremental evaluator reuse hidden states (each
     * LASER variant right after the model it differs from only in the reduced layers).
     *
     * @param quantized the matrices the base quantization changes (empty without one)
     * @param adapted   the matrices the adapter changes
     * @param laser     the ranks on each side
     */
    public static List<StudyVariant> variants(List<String> quantized, List<String> adapted, LaserChoice laser) {
        Set<String> isAdapted = Set.copyOf(adapted);
        Map<String, MatrixRecipe> base = new LinkedHashMap<>();
        quantized.forEach(m -> base.put(m, new MatrixRecipe(m, MatrixRecipe.Kind.BASE, 0)));
        Map<String, MatrixRecipe> merged = new LinkedHashMap<>(base);
        adapted.forEach(m -> merged.put(m, new MatrixRecipe(m, MatrixRecipe.Kind.MERGED, 0)));
        Map<String, MatrixRecipe> laserOnBase = new LinkedHashMap<>(base);
        laser.onBase().forEach((m, k) -> laserOnBase.put(m, new MatrixRecipe(m, MatrixRecipe.Kind.LASER, k)));
        Map<String, MatrixRecipe> loraThenLaser = new LinkedHashMap<>(merged);
        laser.onMerged().forEach((m, k) -> loraThenLaser.put(m, new MatrixRecipe(m,
                isAdapted.contains(m) ? MatrixRecipe.Kind.MERGED_THEN_LASER : MatrixRecipe.Kind.LASER, k)));
        Map<String, MatrixRecipe> laserThenLora = new LinkedHashMap<>(merged);
        laser.onBase().forEach((m, k) -> laserThenLora.put(m, new MatrixRecipe(m,
                isAdapted.contains(m) ? MatrixRecipe.Kind.LASER_THEN_MERGED : MatrixRecipe.Kind.LASER, k)));
        List<StudyVariant> variants = new ArrayList<>();
        variants.add(new StudyVariant(BASE, quantized.isEmpty() ? "the base model" : "the base model, NF4 round trip",
                List.copyOf(base.values())));
        variants.add(new StudyVariant(LASER, "LASER on the base (" + laser.how() + ", " + laser.onBase().size()
                + " matrices)", List.copyOf(laserOnBase.values())));
        variants.add(new StudyVariant(MERGED, "the adapter merged: W + s*B*A (" + adapted.size() + " matrices)",
                List.copyOf(merged.values())));
        variants.add(new StudyVariant(LORA_THEN_LASER, "LoRA, then LASER on the merged model (" + laser.how() + ", "
                + laser.onMerged().size() + " matrices)", List.copyOf(loraThenLaser.values())));
        variants.add(new StudyVariant(LASER_THEN_LORA, "LASER on the base, then the adapter added (" + laser.how()
                + ", " + laser.onBase().size() + " matrices)", List.copyOf(laserThenLora.values())));
        return variants;
    }
}
