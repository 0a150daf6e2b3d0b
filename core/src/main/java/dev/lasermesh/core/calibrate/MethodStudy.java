package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FrobeniusDistance;
import dev.lasermesh.core.spectrum.ParamsRatioPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import dev.lasermesh.core.tensor.TensorCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Perplexity against parameter budget for the three methods (issue 14; the tables of
 * fixtures/corpus): for each budget r every selected matrix is replaced at once by its W_k of rank
 * ⌊r·m·n/(m+n)⌋ ({@link ParamsRatioPolicy}), rounded to the tensor's dtype, and the model is
 * evaluated. Each matrix is decomposed once per method; its W_k for every budget come from that.
 *
 * <p>One matrix of one cell ({@link #cell}) and one row from its matrices' cells ({@link #row}) are
 * public so that the mesh builds the same table: its reducers make each matrix's cell and the gateway
 * the rows (the {@code methods} study of a job), with this code and no other.
 */
public final class MethodStudy {

    /** The default budgets of {@code study methods} and of a job's {@code methods} study. */
    public static final List<Double> DEFAULT_BUDGETS = List.of(0.8, 0.6, 0.4);

    /** One cell of the table, with the mean activation and weight errors over the matrices. */
    public record Row(String method, double budget, double perplexity, double meanActivationError,
                      double meanRelativeWeightError) {
    }

    /** The study: base perplexity, the spectrum each method's rank saw, the rows. */
    public record Result(double basePerplexity, Map<String, String> spectra, List<Row> rows) {
    }

    /**
     * What {@code study methods} prints as JSON and a {@code methods} study job keeps as its table.
     *
     * @param model       the model folder
     * @param calibration the calibration text
     * @param texts       the evaluation texts
     * @param result      the table
     */
    public record Report(String model, String calibration, List<String> texts, Result result) {
    }

    /**
     * One matrix of one cell: W_k as stored (rounded to the tensor's dtype) and its errors, measured on the
     * float64 W_k ({@link MethodTruncation.MatrixErrors}: the activation error NaN without calibration).
     *
     * @param values     W_k row-major, each value rounded to the matrix's dtype
     * @param errors     k, ‖XWᵀ − XW_kᵀ‖/‖XWᵀ‖, ‖W − W_k‖/‖W‖ and the damping λ the method needed
     * @param energyKept Σ_{i&lt;k}s_i² / Σs_i² of the method's own spectrum s, as a calibrated reduction
     *                   accounts it
     */
    public record MatrixCell(float[] values, MethodTruncation.MatrixErrors errors, double energyKept) {
    }

    private MethodStudy() {
    }

    /** The rank of {@code matrix} at budget r: ⌊r·m·n/(m+n)⌋, at least 1 ({@link ParamsRatioPolicy}). */
    public static int rank(MatrixRef matrix, double budget) {
        return new ParamsRatioPolicy(budget).decide(new SingularSpectrum(new double[matrix.minDim()], matrix.rows(),
                matrix.cols())).k();
    }

    /**
     * Runs the study of {@code methods} × {@code budgets} over {@code matrices}.
     *
     * @param perplexity scores the model with the given tensors replaced (an empty map: the base)
     */
    public static Result run(ModelSource source, List<MatrixRef> matrices, List<MethodDecompositions> methods,
                             List<Double> budgets, ToDoubleFunction<Map<String, float[]>> perplexity) {
        double base = perplexity.applyAsDouble(Map.of());
        List<Row> rows = new ArrayList<>();
        Map<String, String> spectra = new LinkedHashMap<>();
        for (MethodDecompositions method : methods) {
            spectra.put(method.method().cliName(), method.method().spectrum());
            List<Map<String, float[]>> overlays = new ArrayList<>();
            List<List<MethodTruncation.MatrixErrors>> cells = new ArrayList<>();
            for (int b = 0; b < budgets.size(); b++) {
                overlays.add(new HashMap<>());
                cells.add(new ArrayList<>());
            }
            for (MatrixRef m : matrices) {
                DenseMatrix w = source.readMatrix(m);
                MethodDecomposition d = method.of(m, w);
                DenseMatrix gram = gram(method, m);
                for (int b = 0; b < budgets.size(); b++) {
                    MatrixCell cell = cell(d, m, w, gram, rank(m, budgets.get(b)));
                    overlays.get(b).put(m.name(), cell.values());
                    cells.get(b).add(cell.errors());
                }
            }
            for (int b = 0; b < budgets.size(); b++) {
                rows.add(row(method.method(), budgets.get(b), perplexity.applyAsDouble(overlays.get(b)), cells.get(b)));
            }
        }
        return new Result(base, spectra, rows);
    }

    /** The cell of {@code matrix} (values {@code w}) at rank {@code k} by {@code method}, decomposing it. */
    public static MatrixCell cell(MethodDecompositions method, MatrixRef matrix, DenseMatrix w, int k) {
        return cell(method.of(matrix, w), matrix, w, gram(method, matrix), k);
    }

    /**
     * The row of {@code method} at {@code budget}: the perplexity with every matrix replaced, and the means of
     * its matrices' errors, summed in the order of {@code cells}.
     */
    public static Row row(ReductionMethod method, double budget, double perplexity,
                          List<MethodTruncation.MatrixErrors> cells) {
        double activation = 0;
        double weight = 0;
        for (MethodTruncation.MatrixErrors cell : cells) {
            weight += cell.relativeWeightError() / cells.size();
            activation += cell.activationError() / cells.size();
        }
        return new Row(method.cliName(), budget, perplexity, activation, weight);
    }

    private static MatrixCell cell(MethodDecomposition d, MatrixRef m, DenseMatrix w, DenseMatrix gram, int k) {
        DenseMatrix wk = d.factors(k).product();
        return new MatrixCell(rounded(wk, m), new MethodTruncation.MatrixErrors(k,
                gram == null ? Double.NaN : ActivationError.relative(w, wk, gram),
                FrobeniusDistance.between(w, wk) / FrobeniusDistance.norm(w), d.lambda()),
                SpectralStatistics.energyKept(d.spectrum(), k));
    }

    private static DenseMatrix gram(MethodDecompositions method, MatrixRef m) {
        return method.calibration() == null ? null : method.statistics(m).gram();
    }

    private static float[] rounded(DenseMatrix wk, MatrixRef m) {
        double[] v = wk.data();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) TensorCodec.round(v[i], m.dtype());
        }
        return out;
    }
}
