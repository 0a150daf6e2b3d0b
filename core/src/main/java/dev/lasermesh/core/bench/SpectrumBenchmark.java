package dev.lasermesh.core.bench;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.JavaLinearAlgebra;
import dev.lasermesh.core.linalg.KernelLinearAlgebra;
import dev.lasermesh.core.linalg.OpenBlasLinearAlgebra;
import dev.lasermesh.core.linalg.SingularValues;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.openblas.global.openblas;

/**
 * {@code lasermesh bench spectrum}: wall time for all singular values of seeded Gaussian matrices
 * (generated as float32, computed in float64) by Lasermesh's native backend on one OpenBLAS thread,
 * by its pure-Java backend, and by NumPy ({@link NumpySvdBaseline}) measured in the same run on the
 * very same values, with the largest relative difference to NumPy over σ ≥ 1e-3·σ_max.
 *
 * <p>The product's bar: native at least {@value #BAR_SPEEDUP}× faster than NumPy at 4096×11008 with
 * differences at most {@value #BAR_DIFFERENCE}. Timings are the best of the repetitions, after one
 * small warm-up per backend (class loading, JIT, native library load); the native time includes
 * copying the matrix to native memory.
 */
public final class SpectrumBenchmark {

    static final double BAR_SPEEDUP = 2.0;
    static final double BAR_DIFFERENCE = 1e-8;
    static final MatrixShape BAR_SHAPE = new MatrixShape(4096, 11008);
    private static final double COMPARED_FRACTION = 1e-3;
    private static final MatrixShape WARM_UP = new MatrixShape(160, 400);

    private SpectrumBenchmark() {
    }

    /**
     * Benchmark options.
     *
     * @param sizes       matrix sizes, rows×cols
     * @param repetitions timed runs per method and size (best is reported)
     * @param skipJava    leave out the pure-Java backend (slow at the largest size)
     * @param javaThreads kernel threads for the pure-Java backend
     * @param seed        seed of the Gaussian generator
     * @param python      the python executable with NumPy
     */
    public record Options(List<MatrixShape> sizes, int repetitions, boolean skipJava, int javaThreads, long seed,
                          String python) {

        public Options {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty()) {
                throw new IllegalArgumentException("--sizes needs at least one ROWSxCOLS");
            }
            if (repetitions < 1) {
                throw new IllegalArgumentException("--repetitions must be at least 1, got " + repetitions);
            }
            if (javaThreads < 1) {
                throw new IllegalArgumentException("--java-threads must be at least 1, got " + javaThreads);
            }
        }

        /** 2048×5632 and 4096×11008, one repetition, Java on one thread, seed 20261125, python3. */
        public static Options defaults() {
            return new Options(List.of(new MatrixShape(2048, 5632), BAR_SHAPE), 1, false, 1, 20261125L, "python3");
        }

        /**
         * Parses {@code --sizes 2048x5632,4096x11008 --repetitions N --skip-java --java-threads N
         * --seed N --python PATH}; unspecified options keep their defaults.
         */
        public static Options parse(String... args) {
            Options o = defaults();
            List<MatrixShape> sizes = o.sizes();
            int repetitions = o.repetitions();
            boolean skipJava = o.skipJava();
            int javaThreads = o.javaThreads();
            long seed = o.seed();
            String python = o.python();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--skip-java" -> skipJava = true;
                    case "--sizes" -> sizes = Stream.of(value(args, ++i, option).split(",")).map(MatrixShape::parse)
                            .toList();
                    case "--repetitions" -> repetitions = integer(value(args, ++i, option), option);
                    case "--java-threads" -> javaThreads = integer(value(args, ++i, option), option);
                    case "--seed" -> seed = integer(value(args, ++i, option), option);
                    case "--python" -> python = value(args, ++i, option);
                    default -> throw new IllegalArgumentException("unknown option '" + option
                            + "'; use --sizes, --repetitions, --skip-java, --java-threads, --seed, --python");
                }
            }
            return new Options(sizes, repetitions, skipJava, javaThreads, seed, python);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int integer(String text, String option) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs an integer, got '" + text + "'");
            }
        }
    }

    /** One line of the result table. */
    record Measurement(MatrixShape shape, String method, String route, double seconds, double[] values) {
    }

    public static void main(String[] args) {
        run(System.out, Options.parse(args));
    }

    /** Runs the benchmark and prints the table (and the bar verdict) to {@code out}. */
    public static void run(PrintStream out, Options options) {
        printHeader(out, options);
        List<KernelLinearAlgebra> backends = new ArrayList<>();
        try {
            backends.add(new OpenBlasLinearAlgebra(1));
        } catch (LinkageError e) {
            out.println("native backend unavailable: " + e);
        }
        if (!options.skipJava()) {
            backends.add(new JavaLinearAlgebra(options.javaThreads()));
        }
        DenseMatrix warmUp = DenseMatrix.fromFloats(WARM_UP.rows(), WARM_UP.cols(), gaussian(WARM_UP, options.seed()));
        backends.forEach(backend -> backend.singularValues(warmUp));
        NumpySvdBaseline numpy = new NumpySvdBaseline(options.python());
        List<Measurement> rows = new ArrayList<>();
        for (MatrixShape shape : options.sizes()) {
            rows.addAll(measure(out, shape, options, numpy, backends));
        }
        printTable(out, rows);
        printBar(out, rows);
    }

    private static List<Measurement> measure(PrintStream out, MatrixShape shape, Options options,
                                             NumpySvdBaseline numpy, List<KernelLinearAlgebra> backends) {
        List<Measurement> rows = new ArrayList<>();
        float[] values = gaussian(shape, options.seed());
        Path directory = null;
        try {
            directory = Files.createTempDirectory("lasermesh-bench-spectrum");
            Path raw = directory.resolve(shape + ".f32");
            writeFloat32(raw, values);
            try {
                NumpySvdBaseline.Result result = numpy.run(raw, shape.rows(), shape.cols(), options.repetitions(),
                        directory);
                out.printf(Locale.ROOT, "%s: NumPy %s, %s svd input, BLAS: %s%n", shape, result.numpyVersion(),
                        result.dtype(), result.blas());
                rows.add(new Measurement(shape, "numpy", "dgesdd", result.bestSeconds(), result.singularValues()));
            } catch (IOException e) {
                out.println(shape + ": NumPy baseline unavailable: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark matrix to a temporary file", e);
        } finally {
            deleteTemporary(directory);
        }
        DenseMatrix matrix = DenseMatrix.fromFloats(shape.rows(), shape.cols(), values);
        for (KernelLinearAlgebra backend : backends) {
            double best = Double.POSITIVE_INFINITY;
            SingularValues result = null;
            for (int r = 0; r < options.repetitions(); r++) {
                long start = System.nanoTime();
                result = backend.singularValuesWithMethod(matrix);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            String label = "lasermesh-" + backend.name() + " (" + threadsOf(backend) + " thread"
                    + (threadsOf(backend) == 1 ? ")" : "s)");
            rows.add(new Measurement(shape, label, result.method().name().toLowerCase(Locale.ROOT), best,
                    result.values()));
        }
        return rows;
    }

    private static int threadsOf(KernelLinearAlgebra backend) {
        return switch (backend) {
            case OpenBlasLinearAlgebra o -> o.threads();
            case JavaLinearAlgebra j -> j.threads();
        };
    }

    private static void printHeader(PrintStream out, Options options) {
        out.println("Lasermesh spectrum benchmark: all singular values of seeded Gaussian matrices (float32 values,"
                + " computed in float64)");
        out.printf(Locale.ROOT, "machine: %d processors, load average %.2f at start, Java %s, in-process %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version(),
                openblas.OPENBLAS_VERSION.strip());
        for (String name : PythonBaselineProcess.REMOVED_VARIABLES) {
            String value = System.getenv(name);
            out.println("  " + name + (value == null ? " not set" : " = " + value + " in this process (applies to the"
                    + " native backend; removed for NumPy)"));
        }
        out.println("NumPy: np.linalg.svd(W64, compute_uv=False) on the same float32 values converted to float64"
                + " (svd of the float32 array would run in single precision); only the svd call is timed;"
                + " subprocess with " + String.join("=1, ", PythonBaselineProcess.SINGLE_THREAD_VARIABLES) + "=1");
        out.printf(Locale.ROOT, "seed %d, best of %d repetition(s), sizes %s%n", options.seed(), options.repetitions(),
                options.sizes());
    }

    private static void printTable(PrintStream out, List<Measurement> rows) {
        out.printf(Locale.ROOT, "%n%-11s %-30s %-17s %10s %12s %16s%n", "size", "method", "route", "seconds",
                "vs NumPy", "max rel diff");
        for (Measurement row : rows) {
            Measurement baseline = numpyFor(rows, row.shape());
            String speedup = baseline == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", baseline.seconds() / row.seconds());
            String difference = baseline == null ? "n/a"
                    : String.format(Locale.ROOT, "%.2e", maxRelativeDifference(row.values(), baseline.values()));
            out.printf(Locale.ROOT, "%-11s %-30s %-17s %10.3f %12s %16s%n", row.shape(), row.method(), row.route(),
                    row.seconds(), speedup, difference);
        }
        out.println("vs NumPy = NumPy seconds / method seconds (higher is faster); max rel diff over σ ≥ 1e-3·σ_max"
                + " of NumPy's values");
    }

    private static void printBar(PrintStream out, List<Measurement> rows) {
        Measurement baseline = numpyFor(rows, BAR_SHAPE);
        Measurement nativeRow = rows.stream()
                .filter(r -> r.shape().equals(BAR_SHAPE) && r.method().startsWith("lasermesh-openblas"))
                .findFirst().orElse(null);
        if (baseline == null || nativeRow == null) {
            out.println("bar (native ≥ " + BAR_SPEEDUP + "x NumPy at " + BAR_SHAPE + "): not measured in this run");
            return;
        }
        double speedup = baseline.seconds() / nativeRow.seconds();
        double difference = maxRelativeDifference(nativeRow.values(), baseline.values());
        boolean met = speedup >= BAR_SPEEDUP && difference <= BAR_DIFFERENCE;
        out.printf(Locale.ROOT, "bar (native ≥ %.0fx NumPy at %s, differences ≤ %.0e): %.2fx, %.2e -> %s%n", BAR_SPEEDUP,
                BAR_SHAPE, BAR_DIFFERENCE, speedup, difference, met ? "MET" : "NOT MET");
    }

    private static Measurement numpyFor(List<Measurement> rows, MatrixShape shape) {
        return rows.stream().filter(r -> r.shape().equals(shape) && r.method().equals("numpy")).findFirst()
                .orElse(null);
    }

    /** max |σ_i − ρ_i| / ρ_i over the reference values ρ_i ≥ 1e-3·ρ_max. */
    static double maxRelativeDifference(double[] values, double[] reference) {
        double worst = 0;
        for (int i = 0; i < reference.length && reference[i] >= COMPARED_FRACTION * reference[0]; i++) {
            worst = Math.max(worst, Math.abs(values[i] - reference[i]) / reference[i]);
        }
        return worst;
    }

    /** Standard normal values rounded to float32, from a generator seeded with {@code seed}. */
    static float[] gaussian(MatrixShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.multiplyExact(shape.rows(), shape.cols())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static void writeFloat32(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (float value : values) {
                if (!buffer.hasRemaining()) {
                    flush(buffer, channel);
                }
                buffer.putFloat(value);
            }
            flush(buffer, channel);
        }
    }

    private static void flush(ByteBuffer buffer, FileChannel channel) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static void deleteTemporary(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            System.err.println("could not delete the benchmark's temporary folder " + directory + ": " + e.getMessage());
        }
    }
}
