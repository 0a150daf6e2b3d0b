package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FrobeniusDistance;
import dev.lasermesh.core.spectrum.ParamsRatioPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
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
 */
public final class MethodStudy {

    /** One cell of the table, with the mean activation and weight errors over the matrices. */
    public record Row(String method, double budget, double perplexity, double meanActivationError,
                      double meanRelativeWeightError) {
    }

    /** The study: base perplexity, the spectrum each method's rank saw, the rows. */
    public record Result(double basePerplexity, Map<String, String> spectra, List<Row> rows) {
    }

    private MethodStudy() {
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
            double[] activation = new double[budgets.size()];
            double[] weight = new double[budgets.size()];
            for (int b = 0; b < budgets.size(); b++) {
                overlays.add(new HashMap<>());
            }
            for (MatrixRef m : matrices) {
                DenseMatrix w = source.readMatrix(m);
                MethodDecomposition d = method.of(m, w);
                DenseMatrix gram = method.calibration() == null ? null : method.statistics(m).gram();
                for (int b = 0; b < budgets.size(); b++) {
                    int k = new ParamsRatioPolicy(budgets.get(b)).decide(new SingularSpectrum(d.spectrum(), m.rows(),
                            m.cols())).k();
                    DenseMatrix wk = d.factors(k).product();
                    overlays.get(b).put(m.name(), rounded(wk, m));
                    weight[b] += FrobeniusDistance.between(w, wk) / FrobeniusDistance.norm(w) / matrices.size();
                    activation[b] += gram == null ? Double.NaN : ActivationError.relative(w, wk, gram) / matrices.size();
                }
            }
            for (int b = 0; b < budgets.size(); b++) {
                rows.add(new Row(method.method().cliName(), budgets.get(b), perplexity.applyAsDouble(overlays.get(b)),
                        activation[b], weight[b]));
            }
        }
        return new Result(base, spectra, rows);
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
