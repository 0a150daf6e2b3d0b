package dev.lasermesh.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline of {@code bench quant}: ggml's Q8_0 and Q4_0 written as vectorised NumPy (whole-array
 * operations over all blocks at once, float32 arithmetic as the C code, roundf done exactly in float64),
 * run in a python3 subprocess on the same float32 values. Each step — quantize to ggml bytes, dequantize
 * back — is timed by NumPy's side, best of the repetitions; the bytes are written out so the benchmark
 * checks that both sides produced the same blocks.
 */
final class NumpyQuantBaseline {

    private static final long TIMEOUT_MINUTES = 30;

    private static final String SCRIPT = """
            import json, sys, time
            import numpy as np
            path, rows, cols, out, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
            w = np.fromfile(path, dtype='<f4').reshape(rows, cols)
            F = np.float32

            def q8_0(w):
                x = w.reshape(-1, 32)
                d = np.abs(x).max(axis=1) / F(127)
                with np.errstate(divide='ignore'):
                    inv = np.where(d != 0, F(1) / d, F(0)).astype(F)
                x0 = x * inv[:, None]
                q = np.trunc(x0.astype(np.float64) + np.copysign(0.5, x0)).astype(np.int8)
                blocks = np.empty(len(x), dtype=[('d', '<f2'), ('qs', 'i1', (32,))])
                blocks['d'] = d.astype(np.float16)
                blocks['qs'] = q
                return blocks

            def dq8_0(blocks):
                return (blocks['qs'].astype(F) * blocks['d'].astype(F)[:, None]).reshape(-1)

            def q4_0(w):
                x = w.reshape(-1, 32)
                ax = np.abs(x)
                m = x[np.arange(len(x)), ax.argmax(axis=1)]
                m = np.where(ax.max(axis=1) > 0, m, F(0)).astype(F)
                d = m / F(-8)
                with np.errstate(divide='ignore'):
                    inv = np.where(d != 0, F(1) / d, F(0)).astype(F)
                q = np.minimum((x * inv[:, None] + F(8.5)).astype(np.uint8), 15)
                blocks = np.empty(len(x), dtype=[('d', '<f2'), ('qs', 'u1', (16,))])
                blocks['d'] = d.astype(np.float16)
                blocks['qs'] = q[:, :16] | (q[:, 16:] << 4)
                return blocks

            def dq4_0(blocks):
                qs = blocks['qs']
                q = np.concatenate([(qs & 15).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8], axis=1)
                return (q.astype(F) * blocks['d'].astype(F)[:, None]).reshape(-1)

            def best(f, arg):
                times = []
                for _ in range(reps):
                    start = time.perf_counter()
                    result = f(arg)
                    times.append(time.perf_counter() - start)
                return min(times), result

            report = {'numpy': np.__version__}
            for name, quantize, dequantize in (('Q8_0', q8_0, dq8_0), ('Q4_0', q4_0, dq4_0)):
                tq, blocks = best(quantize, w)
                td, values = best(dequantize, blocks)
                blocks.tofile(out + '.' + name)
                report[name] = {'quantize_seconds': tq, 'dequantize_seconds': td}
            print(json.dumps(report))
            """;

    /** Best seconds of each step, per scheme. */
    record Result(String numpyVersion, JsonNode seconds) {

        double seconds(String scheme, String step) {
            return seconds.get(scheme).get(step + "_seconds").doubleValue();
        }
    }

    private final String python;

    NumpyQuantBaseline(String python) {
        this.python = python;
    }

    /**
     * Runs the baseline on a rows×cols float32 matrix stored as raw little-endian values; the blocks of
     * each scheme are written to {@code <blocksPrefix>.Q8_0} and {@code .Q4_0}.
     *
     * @throws IOException when python3 or NumPy is missing or the script fails (message has its output)
     */
    Result run(Path rawFloat32, int rows, int cols, int repetitions, Path blocksPrefix, Path workDirectory)
            throws IOException {
        Path script = workDirectory.resolve("numpy_quant.py");
        Files.writeString(script, SCRIPT);
        JsonNode report = PythonBaselineProcess.run(python, script, List.of(rawFloat32.toString(),
                Integer.toString(rows), Integer.toString(cols), blocksPrefix.toString(), Integer.toString(repetitions)),
                TIMEOUT_MINUTES, "the NumPy quantization");
        return new Result(report.get("numpy").asText(), report);
    }
}
