package dev.lasermesh.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline: NumPy's {@code np.linalg.svd(W64, compute_uv=False)} in a python3 subprocess on
 * exactly the float32 values the Java side uses, converted to float64 first (an SVD of the float32
 * array would run in single precision). Only the svd call is timed, by NumPy's side.
 *
 * <p>The subprocess is set up by {@link PythonBaselineProcess} (one BLAS thread, OpenBLAS's own kernel choice).
 */
final class NumpySvdBaseline {

    private static final long TIMEOUT_MINUTES = 60;

    /**
     * Python defining {@code numpy_blas()}: the configuration string of the OpenBLAS NumPy loaded (its
     * {@code openblas_get_config}), to print next to Lasermesh's ({@link OpenBlasConfig}); scripts start with it.
     */
    static final String NUMPY_BLAS = """
            import ctypes, glob, os
            import numpy as np
            def numpy_blas():
                libs = glob.glob(os.path.join(os.path.dirname(np.__file__), '..', 'numpy.libs', '*openblas*'))
                for lib in libs:
                    handle = ctypes.CDLL(lib)
                    for name in ('scipy_openblas_get_config64_', 'openblas_get_config64_', 'openblas_get_config'):
                        if hasattr(handle, name):
                            function = getattr(handle, name)
                            function.restype = ctypes.c_char_p
                            return function().decode()
                return 'unknown'
            """;

    private static final String SCRIPT = NUMPY_BLAS + """
            import json, sys, time
            path, rows, cols, out, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
            w64 = np.fromfile(path, dtype='<f4').reshape(rows, cols).astype(np.float64)
            seconds = []
            for _ in range(reps):
                start = time.perf_counter()
                s = np.linalg.svd(w64, compute_uv=False)
                seconds.append(time.perf_counter() - start)
            s.astype('<f8').tofile(out)
            print(json.dumps({'seconds': seconds, 'numpy': np.__version__, 'dtype': str(w64.dtype),
                              'blas': numpy_blas()}))
            """;

    /** What NumPy measured. */
    record Result(double[] singularValues, double bestSeconds, String numpyVersion, String dtype, String blas) {
    }

    private final String python;

    NumpySvdBaseline(String python) {
        this.python = python;
    }

    /**
     * Runs the baseline on a rows×cols float32 matrix stored as raw little-endian values.
     *
     * @throws IOException when python3 or NumPy is missing or the script fails (message has its output)
     */
    Result run(Path rawFloat32, int rows, int cols, int repetitions, Path workDirectory) throws IOException {
        Path script = workDirectory.resolve("numpy_svd.py");
        Path out = workDirectory.resolve("numpy-singular-values.f64");
        Files.writeString(script, SCRIPT);
        JsonNode report = PythonBaselineProcess.run(python, script, List.of(rawFloat32.toString(),
                Integer.toString(rows), Integer.toString(cols), out.toString(), Integer.toString(repetitions)),
                TIMEOUT_MINUTES, "the NumPy SVD");
        double best = Double.POSITIVE_INFINITY;
        for (JsonNode seconds : report.get("seconds")) {
            best = Math.min(best, seconds.asDouble());
        }
        return new Result(RawFloat64.read(out, Math.min(rows, cols)), best, report.get("numpy").asText(),
                report.get("dtype").asText(), report.get("blas").asText());
    }
}
