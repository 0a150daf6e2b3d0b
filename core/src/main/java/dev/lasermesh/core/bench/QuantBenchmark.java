package dev.lasermesh.core.bench;

import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.quant.QuantizedMatrix;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code lasermesh bench quant}: throughput (values per second) of ggml Q8_0 and Q4_0 quantization and
 * dequantization, Lasermesh's Vector API codecs on one thread against vectorised NumPy code of the same
 * formats ({@link NumpyQuantBaseline}) in the same run, on the same Gaussian float32 matrix; best of the
 * repetitions on each side, after a JIT warm-up on the Java side. The bytes of both sides are compared.
 * The bar is Lasermesh ≥ {@value #BAR_SPEEDUP}× NumPy for quantize + dequantize together.
 */
public final class QuantBenchmark {

    static final double BAR_SPEEDUP = 2.0;

    /**
     * @param shape       the matrix
     * @param repetitions timed repetitions per step and side
     * @param seed        random seed
     * @param python      the python3 with NumPy
     */
    public record Options(MatrixShape shape, int repetitions, long seed, String python) {

        public Options {
            if (repetitions < 1) {
                throw new IllegalArgumentException("--repetitions must be at least 1, got " + repetitions);
            }
            if (shape.cols() % QuantScheme.BLOCK != 0) {
                throw new IllegalArgumentException("--size: the row length " + shape.cols()
                        + " must be a multiple of 32");
            }
        }

        /** The defaults: one 4096×11008 matrix (a Llama-2-7B MLP shape), best of 5, a fixed seed, {@code python3}. */
        public static Options defaults() {
            return new Options(new MatrixShape(4096, 11008), 5, 20261125L, "python3");
        }
    }

    private QuantBenchmark() {
    }

    /** Runs the benchmark and prints the table and the verdict to {@code out}. */
    public static void run(PrintStream out, Options options) {
        int rows = options.shape().rows();
        int cols = options.shape().cols();
        long n = (long) rows * cols;
        float[] w = gaussian(Math.toIntExact(n), options.seed());
        out.printf(Locale.ROOT, "ggml block quantization of a %s Gaussian float32 matrix (%,d values), one thread "
                + "each side, best of %d%n", options.shape(), n, options.repetitions());
        try {
            Path work = Files.createTempDirectory("lasermesh-bench-quant");
            try {
                Path raw = work.resolve("w.f32");
                writeFloats(raw, w);
                NumpyQuantBaseline.Result numpy = new NumpyQuantBaseline(options.python())
                        .run(raw, rows, cols, options.repetitions(), work.resolve("blocks"), work);
                out.println("NumPy " + numpy.numpyVersion() + ", Java " + Runtime.version());
                out.printf("%-6s %-22s %16s %16s %8s%n", "scheme", "step", "NumPy values/s", "Java values/s", "ratio");
                double worst = Double.POSITIVE_INFINITY;
                for (QuantScheme scheme : QuantScheme.values()) {
                    double[] java = timeJava(scheme, w, rows, cols, options.repetitions());
                    double numpyQuantize = numpy.seconds(scheme.ggmlName(), "quantize");
                    double numpyDequantize = numpy.seconds(scheme.ggmlName(), "dequantize");
                    row(out, scheme, "quantize", n, numpyQuantize, java[0]);
                    row(out, scheme, "dequantize", n, numpyDequantize, java[1]);
                    double ratio = row(out, scheme, "quantize + dequantize", n, numpyQuantize + numpyDequantize,
                            java[0] + java[1]);
                    worst = Math.min(worst, ratio);
                    byte[] theirs = Files.readAllBytes(work.resolve("blocks." + scheme.ggmlName()));
                    boolean same = Arrays.equals(theirs, scheme.quantize(w, rows, cols).blocks());
                    out.println(scheme.ggmlName() + " blocks identical to NumPy's: " + (same ? "yes" : "NO"));
                }
                out.printf(Locale.ROOT, "bar: Lasermesh >= %.1fx NumPy for quantize + dequantize: %s (worst %.2fx)%n",
                        BAR_SPEEDUP, worst >= BAR_SPEEDUP ? "met" : "NOT met", worst);
            } finally {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench quant: " + e.getMessage(), e);
        }
    }

    /** Best seconds of quantize and of dequantize, after a warm-up. */
    private static double[] timeJava(QuantScheme scheme, float[] w, int rows, int cols, int repetitions) {
        float[] warm = Arrays.copyOf(w, Math.min(w.length, 1 << 20) / cols * cols);
        for (int i = 0; i < 20; i++) {
            scheme.quantize(warm, warm.length / cols, cols).dequantize();
        }
        double quantize = Double.POSITIVE_INFINITY;
        double dequantize = Double.POSITIVE_INFINITY;
        float checksum = 0;
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            QuantizedMatrix q = scheme.quantize(w, rows, cols);
            long t1 = System.nanoTime();
            float[] back = q.dequantize();
            long t2 = System.nanoTime();
            checksum += back[r];
            quantize = Math.min(quantize, (t1 - t0) / 1e9);
            dequantize = Math.min(dequantize, (t2 - t1) / 1e9);
        }
        if (Float.isNaN(checksum)) {
            throw new IllegalStateException("dequantized a NaN");
        }
        return new double[] {quantize, dequantize};
    }

    private static double row(PrintStream out, QuantScheme scheme, String step, long n, double numpySeconds,
                              double javaSeconds) {
        double ratio = numpySeconds / javaSeconds;
        out.printf(Locale.ROOT, "%-6s %-22s %,16.0f %,16.0f %7.2fx%n", scheme.ggmlName(), step, n / numpySeconds,
                n / javaSeconds, ratio);
        return ratio;
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.02 * random.nextGaussian());
        }
        return w;
    }

    private static void writeFloats(Path file, float[] w) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(w);
        Files.write(file, b.array());
    }
}
