package dev.lasermesh.core.study;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Delahaies question as a study: can quantization be composed with LASER, and what does each
 * combination cost in bytes and perplexity? {@link #variants()} lists the nine points (base, Q8_0,
 * Q4_0, LASER dense alone and quantized, LASER factored with F32/Q8_0/Q4_0 factors) as data; {@link
 * #weights} makes one concrete (the float32 weights it computes with, and its bytes) for whatever
 * evaluates it; {@link #evaluate} runs them all through one evaluator and builds the table.
 *
 * <p>Definitions (DESIGN §7.2, {@code fixtures/quant/README.md}): quantized variants quantize every linear
 * matrix of the decoder layers whose rows split into blocks of 32; "laser+Q" quantizes the dense rank-k
 * reconstruction (as written in the dtype); "laser-factored+Q" quantizes the two factors separately, a
 * factor whose rows do not split into blocks staying in the dtype, and computes with
 * float32(float64(deq U·√S) · float64(deq √S·Vᵀ)). Bytes are ggml's (34 B / 18 B per 32 values); the
 * bytes of a factored matrix are those of its two factors.
 */
public final class QuantizationStudy {

    private final ModelSource model;
    private final List<MatrixRef> linears;
    private final Map<String, LaserMatrix> laser;
    private final LaserChoice choice;
    private final LinearAlgebra linearAlgebra;
    private final Map<String, float[]> denseLaser = new HashMap<>();
    private final Map<String, float[][]> factors = new HashMap<>();

    /**
     * @param model         the model (a Hugging Face folder with a known architecture)
     * @param choice        the LASER matrices and ranks
     * @param linearAlgebra the backend for the truncations
     * @throws InvalidInputException when a LASER matrix is not a linear of the decoder layers or its
     *                               rank exceeds min(rows, cols)
     */
    public QuantizationStudy(ModelSource model, LaserChoice choice, LinearAlgebra linearAlgebra) {
        this.model = model;
        this.linears = model.catalogue().defaultSelection();
        this.choice = choice;
        this.linearAlgebra = linearAlgebra;
        Set<String> names = linears.stream().map(MatrixRef::name).collect(Collectors.toSet());
        this.laser = new LinkedHashMap<>();
        for (LaserMatrix m : choice.matrices()) {
            MatrixRef ref = model.catalogue().byName(m.name());
            if (!names.contains(m.name())) {
                throw new InvalidInputException(choice.source() + ": " + m.name()
                        + " is not a linear matrix of the decoder layers");
            }
            if (m.rank() > ref.minDim()) {
                throw new InvalidInputException(choice.source() + ": rank " + m.rank() + " of " + m.name()
                        + " exceeds min(rows, cols) = " + ref.minDim());
            }
            laser.put(m.name(), m);
        }
    }

    /** The nine variants, in table order. */
    public static List<StudyVariant> variants() {
        List<StudyVariant> variants = new ArrayList<>();
        variants.add(new StudyVariant("base", LaserForm.NONE, StudyVariant.DTYPE, "the model unchanged"));
        for (QuantScheme s : QuantScheme.values()) {
            variants.add(new StudyVariant(s.ggmlName(), LaserForm.NONE, s.ggmlName(),
                    "every linear " + s.ggmlName()));
        }
        variants.add(new StudyVariant("laser", LaserForm.DENSE, StudyVariant.DTYPE,
                "LASER matrices dense rank-k, rest unchanged"));
        for (QuantScheme s : QuantScheme.values()) {
            variants.add(new StudyVariant("laser+" + s.ggmlName(), LaserForm.DENSE, s.ggmlName(),
                    "LASER matrices dense rank-k, then every linear " + s.ggmlName()));
        }
        variants.add(new StudyVariant("laser-factored", LaserForm.FACTORED, StudyVariant.DTYPE,
                "LASER matrices as two factors in the dtype, rest unchanged"));
        for (QuantScheme s : QuantScheme.values()) {
            variants.add(new StudyVariant("laser-factored+" + s.ggmlName(), LaserForm.FACTORED, s.ggmlName(),
                    "LASER matrices as two factors, each " + s.ggmlName() + " when its rows split into blocks of "
                            + "32; every other linear " + s.ggmlName()));
        }
        return List.copyOf(variants);
    }

    /** Where the LASER matrices come from, and which they are. */
    public LaserChoice laser() {
        return choice;
    }

    /** The weights and bytes of {@code variant}. */
    public VariantWeights weights(StudyVariant variant) {
        Optional<QuantScheme> scheme = variant.scheme();
        Map<String, float[]> overlays = new LinkedHashMap<>();
        for (MatrixRef m : linears) {
            LaserMatrix reduced = variant.laser() == LaserForm.NONE ? null : laser.get(m.name());
            if (reduced != null && variant.laser() == LaserForm.FACTORED) {
                float[][] f = factors(m, reduced.rank());
                int k = reduced.rank();
                float[] first = StoredValues.of(f[0], k, m.cols(), m.dtype(), scheme).values();
                float[] second = StoredValues.of(f[1], m.rows(), k, m.dtype(), scheme).values();
                overlays.put(m.name(), product(second, first, m.rows(), k, m.cols()));
                continue;
            }
            float[] values = reduced == null ? null : dense(m, reduced.rank());
            if (scheme.isPresent() && QuantScheme.fits(m.cols())) {
                float[] w = values != null ? values : model.tensors().readFloats(m.name());
                values = scheme.get().quantize(w, m.rows(), m.cols()).dequantize();
            }
            if (values != null) {
                overlays.put(m.name(), values);
            }
        }
        return new VariantWeights(overlays, bytes(variant));
    }

    /**
     * The bytes of {@code variant}, from shapes, formats and ranks alone: ggml's for quantized matrices and
     * factors, the dtype's for the rest (a factored matrix counts its two factors).
     */
    public VariantBytes bytes(StudyVariant variant) {
        Optional<QuantScheme> scheme = variant.scheme();
        List<FactoredLaserMatrix> factored = new ArrayList<>();
        long linearBytes = 0;
        for (MatrixRef m : linears) {
            LaserMatrix reduced = variant.laser() == LaserForm.NONE ? null : laser.get(m.name());
            if (reduced != null && variant.laser() == LaserForm.FACTORED) {
                int k = reduced.rank();
                StoredFactor first = StoredValues.stored(k, m.cols(), m.dtype(), scheme);
                StoredFactor second = StoredValues.stored(m.rows(), k, m.dtype(), scheme);
                factored.add(new FactoredLaserMatrix(m.name(), k, first, second, first.bytes() + second.bytes()));
                linearBytes += first.bytes() + second.bytes();
            } else {
                linearBytes += StoredValues.stored(m.rows(), m.cols(), m.dtype(), scheme).bytes();
            }
        }
        return new VariantBytes(linearBytes, linearBytes + otherBytes(), factored);
    }

    /**
     * Evaluates every variant with {@code evaluator}, in order, and builds the table.
     *
     * @param evaluation what the perplexities are (protocol, text), for the output
     */
    public StudyResult evaluate(VariantEvaluator evaluator, Map<String, Object> evaluation) {
        Map<String, Double> perplexities = new LinkedHashMap<>();
        for (StudyVariant v : variants()) {
            perplexities.put(v.name(), evaluator.perplexity(v, weights(v)));
        }
        return result(perplexities, evaluation);
    }

    /**
     * The table from perplexities measured elsewhere (the mesh's evaluators), with this study's bytes.
     *
     * @param perplexities variant name → perplexity, for every variant of {@link #variants()}
     * @param evaluation   what the perplexities are (protocol, text), for the output
     * @throws IllegalArgumentException when a variant's perplexity is missing
     */
    public StudyResult result(Map<String, Double> perplexities, Map<String, Object> evaluation) {
        List<StudyRow> rows = new ArrayList<>();
        VariantBytes base = null;
        double basePerplexity = Double.NaN;
        for (StudyVariant v : variants()) {
            Double ppl = perplexities.get(v.name());
            if (ppl == null) {
                throw new IllegalArgumentException("no perplexity for variant " + v.name());
            }
            VariantBytes bytes = bytes(v);
            if (base == null) {
                base = bytes;
                basePerplexity = ppl;
            }
            rows.add(StudyRow.of(v, bytes, ppl, base, basePerplexity));
        }
        return new StudyResult(model.path().toString(), evaluation, choice, rows);
    }

    /** Evaluates one variant: its perplexity with the given weights. */
    @FunctionalInterface
    public interface VariantEvaluator {
        double perplexity(StudyVariant variant, VariantWeights weights);
    }

    /** float32(float64(second) · float64(first)). */
    private static float[] product(float[] second, float[] first, int rows, int k, int cols) {
        DenseMatrix product = new LowRankFactors(new DenseMatrix(rows, k, widen(second)),
                new DenseMatrix(k, cols, widen(first))).product();
        double[] d = product.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    private float[] dense(MatrixRef m, int k) {
        return denseLaser.computeIfAbsent(m.name(), name -> new MatrixTruncator(linearAlgebra).asWritten(model, m,
                linearAlgebra.singularValues(model.readMatrix(m)), k));
    }

    /** {√S·Vᵀ, U·√S} rounded to the dtype, as {@code reduce --factored} writes them. */
    private float[][] factors(MatrixRef m, int k) {
        return factors.computeIfAbsent(m.name(), name -> {
            LowRankFactors f = new MatrixTruncator(linearAlgebra).factored(model, m,
                    linearAlgebra.singularValues(model.readMatrix(m)), k).factors();
            return new float[][] {StoredValues.rounded(f.b(), m.dtype()), StoredValues.rounded(f.a(), m.dtype())};
        });
    }

    private static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private long otherBytes() {
        Set<String> names = linears.stream().map(MatrixRef::name).collect(Collectors.toSet());
        return model.tensors().tensors().stream().filter(t -> !names.contains(t.name()))
                .mapToLong(TensorInfo::byteLength).sum();
    }
}
