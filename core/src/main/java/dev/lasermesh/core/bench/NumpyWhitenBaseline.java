package dev.lasermesh.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline of {@code bench whiten}: SVD-LLM's whitening as NumPy offers it, in a python3 subprocess
 * ({@link PythonBaselineProcess}: one BLAS thread, OpenBLAS's own kernel) on the very W and C of the Java
 * side: {@code S = np.linalg.cholesky(C)} (the damping loop of DESIGN §7.4 on {@code LinAlgError}),
 * {@code W @ S} (a general product: NumPy has no triangular one), {@code U, s, Vt = np.linalg.svd(WS,
 * full_matrices=False)} (LAPACK dgesdd with vectors), A = U_k·√s_k and B = √s_k·V_kᵀ·S⁻¹ by
 * {@code np.linalg.solve(S.T, ·)} (LU: NumPy has no triangular solve). Each phase is timed; the best total
 * of the repetitions is reported with its phases. Writes s and the probe outputs A·(B·P).
 */
final class NumpyWhitenBaseline {

    private static final long TIMEOUT_MINUTES = 60;

    private static final String SCRIPT = NumpySvdBaseline.NUMPY_BLAS + """
            import json, sys, time
            w_path, c_path, p_path, rows, cols, k, probes, s_out, y_out, reps = sys.argv[1:4] + \\
                [int(a) for a in sys.argv[4:8]] + sys.argv[8:10] + [int(sys.argv[10])]
            W = np.fromfile(w_path, dtype='<f8').reshape(rows, cols)
            C = np.fromfile(c_path, dtype='<f8').reshape(cols, cols)
            P = np.fromfile(p_path, dtype='<f8').reshape(cols, probes)
            def whiten():
                times = {}
                t = time.perf_counter()
                lam, mean = 0.0, np.trace(C) / cols
                while True:
                    try:
                        S = np.linalg.cholesky(C if lam == 0.0 else C + lam * np.eye(cols))
                        break
                    except np.linalg.LinAlgError:
                        lam = 1e-6 * mean if lam == 0.0 else lam * 10
                times['cholesky'] = time.perf_counter() - t
                t = time.perf_counter()
                WS = W @ S
                times['product'] = time.perf_counter() - t
                t = time.perf_counter()
                U, s, Vt = np.linalg.svd(WS, full_matrices=False)
                times['svd'] = time.perf_counter() - t
                t = time.perf_counter()
                root = np.sqrt(s[:k])
                A = U[:, :k] * root
                B = np.linalg.solve(S.T, Vt[:k].T * root).T
                times['solve'] = time.perf_counter() - t
                return s, A, B, lam, times
            best = None
            for _ in range(reps):
                s, A, B, lam, times = whiten()
                if best is None or sum(times.values()) < sum(best.values()):
                    best = times
            s.astype('<f8').tofile(s_out)
            (A @ (B @ P)).astype('<f8').tofile(y_out)
            print(json.dumps({'seconds': sum(best.values()), 'phases': best, 'lambda': lam, 'numpy': np.__version__,
                              'blas': numpy_blas()}))
            """;

    /** What NumPy measured: best total seconds, its phases, λ, σ of W·S and the probe outputs (rows × probes). */
    record Result(double seconds, String phases, double lambda, double[] singularValues, double[] probeOutputs,
                  String numpyVersion, String blas) {
    }

    private final String python;

    NumpyWhitenBaseline(String python) {
        this.python = python;
    }

    /**
     * Whitens W (rows×cols, float64 file) with C (cols×cols, float64 file) and keeps k, applying W_k to the
     * cols×probes float64 matrix of {@code probesFile}.
     *
     * @throws IOException when python3 or NumPy is missing or the script fails (message has its output)
     */
    Result run(Path wFile, Path cFile, Path probesFile, int rows, int cols, int k, int probes, int repetitions,
               Path workDirectory) throws IOException {
        Path script = workDirectory.resolve("numpy_whiten.py");
        Path sOut = workDirectory.resolve("numpy-whitened-spectrum.f64");
        Path yOut = workDirectory.resolve("numpy-probe-outputs.f64");
        Files.writeString(script, SCRIPT);
        JsonNode report = PythonBaselineProcess.run(python, script, List.of(wFile.toString(), cFile.toString(),
                probesFile.toString(), Integer.toString(rows), Integer.toString(cols), Integer.toString(k),
                Integer.toString(probes), sOut.toString(), yOut.toString(), Integer.toString(repetitions)),
                TIMEOUT_MINUTES, "the NumPy whitening");
        StringBuilder phases = new StringBuilder();
        report.get("phases").fields().forEachRemaining(e -> phases.append(phases.isEmpty() ? "" : ", ").append(e.getKey())
                .append(String.format(java.util.Locale.ROOT, " %.1f s", e.getValue().asDouble())));
        return new Result(report.get("seconds").asDouble(), phases.toString(), report.get("lambda").asDouble(),
                RawFloat64.read(sOut, Math.min(rows, cols)), RawFloat64.read(yOut, rows * probes),
                report.get("numpy").asText(), report.get("blas").asText());
    }
}
