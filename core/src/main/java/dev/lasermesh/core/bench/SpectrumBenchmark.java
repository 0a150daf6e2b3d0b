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

/**
 * {@code lasermesh bench spectrum}: wall time for all singular values of seeded matrices (generated
 * as float32, computed in float64) by Lasermesh's native backend on one OpenBLAS thread, optionally
 * by its pure-Java backend, and by NumPy ({@link NumpySvdBaseline}) measured in the same run on the
 * very same values, with the largest relative difference to NumPy over σ ≥ 1e-3·σ_max and the
 * largest error bound Lasermesh claims there. The matrices have the spectra real weights have
 * ({@link HeavyTailedSpectrum}, cond 1e3–1e6) or are Gaussian.
 *
 * <p>Both sides run on the OpenBLAS kernel their library picks for this CPU: when
 * {@code OPENBLAS_CORETYPE} or {@code OPENBLAS_L2_SIZE} is set, the benchmark reruns itself in a
 * child JVM without them (OpenBLAS reads them once, when it is loaded), as the NumPy subprocess
 * does; both configuration strings are printed.
 *
 * <p>The product's bar: native at least {@value #BAR_SPEEDUP}× faster than NumPy on the heavy-tailed
 * spectra with differences at most {@value #BAR_DIFFERENCE}. Timings are the best of the repetitions,
 * after one small warm-up per backend (class loading, JIT, native library load); the native time
 * includes copying the matrix to native memory.
 */
public final class SpectrumBenchmark {

    static final double BAR_SPEEDUP = 3.0;
    static final double BAR_DIFFERENCE = 1e-9;
    static final String GAUSSIAN = "gaussian";
    private static final double COMPARED_FRACTION = 1e-3;
    private static final MatrixShape WARM_UP = new MatrixShape(160, 400);

    private SpectrumBenchmark() {
    }

    /**
     * Benchmark options.
     *
     * @param sizes       matrix sizes, rows×cols
     * @param spectra     per size, {@value #GAUSSIAN} or the condition number of a heavy-tailed spectrum
     * @param repetitions timed runs per method and size (best is reported)
     * @param skipJava    leave out the pure-Java backend (slow at large sizes)
     * @param javaThreads kernel threads for the pure-Java backend
     * @param seed        seed of the Gaussian generator
     * @param python      the python executable with NumPy
     */
    public record Options(List<MatrixShape> sizes, List<String> spectra, int repetitions, boolean skipJava,
                          int javaThreads, long seed, String python) {

        public Options {
            sizes = List.copyOf(sizes);
            spectra = List.copyOf(spectra);
            if (sizes.isEmpty()) {
                throw new IllegalArgumentException("--sizes needs at least one ROWSxCOLS");
            }
            if (spectra.isEmpty()) {
                throw new IllegalArgumentException("--spectra needs at least one of gaussian or a condition number");
            }
            spectra.forEach(Options::condition);
            if (repetitions < 1) {
                throw new IllegalArgumentException("--repetitions must be at least 1, got " + repetitions);
            }
            if (javaThreads < 1) {
                throw new IllegalArgumentException("--java-threads must be at least 1, got " + javaThreads);
            }
        }

        /**
         * 4096×4096, 4096×11008, 4096×14336 (Mistral-7B's attention and MLP shapes, Llama-2-7B's MLP),
         * heavy-tailed spectra with cond 1e3, 1e4, 1e6, one repetition, Java left out, seed 20261125,
         * python3.
         */
        public static Options defaults() {
            return new Options(List.of(new MatrixShape(4096, 4096), new MatrixShape(4096, 11008),
                    new MatrixShape(4096, 14336)), List.of("1e3", "1e4", "1e6"), 1, true, 1, 20261125L, "python3");
        }

        /** NaN for {@value #GAUSSIAN}, else the condition number the spectrum names (≥ 1). */
        static double condition(String spectrum) {
            if (GAUSSIAN.equals(spectrum)) {
                return Double.NaN;
            }
            try {
                double cond = Double.parseDouble(spectrum);
                if (cond >= 1 && Double.isFinite(cond)) {
                    return cond;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--spectra takes gaussian or a condition number >= 1, got '" + spectrum
                    + "'");
        }

        /**
         * Parses {@code --sizes 2048x5632,4096x11008 --spectra gaussian,1e4 --repetitions N --java
         * --skip-java --java-threads N --seed N --python PATH}; unspecified options keep their
         * defaults.
         */
        public static Options parse(String... args) {
            Options o = defaults();
            List<MatrixShape> sizes = o.sizes();
            List<String> spectra = o.spectra();
            int repetitions = o.repetitions();
            boolean skipJava = o.skipJava();
            int javaThreads = o.javaThreads();
            long seed = o.seed();
            String python = o.python();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--skip-java" -> skipJava = true;
                    case "--java" -> skipJava = false;
                    case "--spectra" -> spectra = List.of(value(args, ++i, option).split(","));
                    case "--sizes" -> sizes = Stream.of(value(args, ++i, option).split(",")).map(MatrixShape::parse)
                            .toList();
                    case "--repetitions" -> repetitions = integer(value(args, ++i, option), option);
                    case "--java-threads" -> javaThreads = integer(value(args, ++i, option), option);
                    case "--seed" -> seed = integer(value(args, ++i, option), option);
                    case "--python" -> python = value(args, ++i, option);
                    default -> throw new IllegalArgumentException("unknown option '" + option
                            + "'; use --sizes, --spectra, --repetitions, --java, --skip-java, --java-threads, --seed,"
                            + " --python");
                }
            }
            return new Options(sizes, spectra, repetitions, skipJava, javaThreads, seed, python);
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

    /**
     * One line of the result table.
     *
     * @param claimedBound the largest relative error bound Lasermesh gives for σ ≥ 1e-3·σ_max (NaN for NumPy)
     */
    record Measurement(MatrixShape shape, String spectrum, String method, String route, double seconds,
                       double[] values, double claimedBound) {
    }

    public static void main(String[] args) {
        run(System.out, Options.parse(args));
    }

    /**
     * Runs the benchmark and prints the table (and the bar verdict) to {@code out}; reruns itself in a
     * child JVM first when the environment overrides OpenBLAS's kernel choice.
     */
    public static void run(PrintStream out, Options options) {
        if (KernelOverrides.rerunWithout(out)) {
            return;
        }
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
            for (String spectrum : options.spectra()) {
                rows.addAll(measure(out, shape, spectrum, options, numpy, backends));
            }
        }
        printTable(out, rows);
        printBar(out, rows);
    }

    private static List<Measurement> measure(PrintStream out, MatrixShape shape, String spectrum, Options options,
                                             NumpySvdBaseline numpy, List<KernelLinearAlgebra> backends) {
        List<Measurement> rows = new ArrayList<>();
        double cond = Options.condition(spectrum);
        String label = Double.isNaN(cond) ? GAUSSIAN : "cond " + spectrum;
        float[] values = Double.isNaN(cond) ? gaussian(shape, options.seed())
                : HeavyTailedSpectrum.matrix(shape, cond, options.seed());
        Path directory = null;
        try {
            directory = Files.createTempDirectory("lasermesh-bench-spectrum");
            Path raw = directory.resolve(shape + ".f32");
            writeFloat32(raw, values);
            try {
                NumpySvdBaseline.Result result = numpy.run(raw, shape.rows(), shape.cols(), options.repetitions(),
                        directory);
                out.printf(Locale.ROOT, "%s %s: NumPy %s, %s svd input, BLAS: %s%n", shape, label,
                        result.numpyVersion(), result.dtype(), result.blas());
                rows.add(new Measurement(shape, label, "numpy", "dgesdd", result.bestSeconds(),
                        result.singularValues(), Double.NaN));
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
            String method = "lasermesh-" + backend.name() + " (" + threadsOf(backend) + " thread"
                    + (threadsOf(backend) == 1 ? ")" : "s)");
            rows.add(new Measurement(shape, label, method, result.method().label(), best, result.values(),
                    result.worstBoundAbove(COMPARED_FRACTION)));
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
        out.println("Lasermesh spectrum benchmark: all singular values of seeded matrices (float32 values,"
                + " computed in float64); spectra: gaussian, or 'cond C' = heavy-tailed head σ_i = (i+1)^-1/2 with"
                + " the last p/64 values falling geometrically to σ_0/C");
        out.printf(Locale.ROOT, "machine: %d processors, load average %.2f at start, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
        out.println("in-process OpenBLAS (Lasermesh): " + OpenBlasConfig.inProcess());
        for (String name : PythonBaselineProcess.REMOVED_VARIABLES) {
            out.println("  " + name + (System.getenv(name) == null ? " not set" : " is SET (kernel forced)"));
        }
        out.println("NumPy: np.linalg.svd(W64, compute_uv=False) on the same float32 values converted to float64"
                + " (svd of the float32 array would run in single precision); only the svd call is timed;"
                + " subprocess with " + String.join("=1, ", PythonBaselineProcess.SINGLE_THREAD_VARIABLES) + "=1");
        out.printf(Locale.ROOT, "seed %d, best of %d repetition(s), sizes %s, spectra %s%n", options.seed(),
                options.repetitions(), options.sizes(), options.spectra());
    }

    private static void printTable(PrintStream out, List<Measurement> rows) {
        out.printf(Locale.ROOT, "%n%-11s %-14s %-30s %-17s %10s %10s %14s %14s%n", "size", "spectrum", "method",
                "route", "seconds", "vs NumPy", "max rel diff", "claimed bound");
        for (Measurement row : rows) {
            Measurement baseline = numpyFor(rows, row);
            String speedup = baseline == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", baseline.seconds() / row.seconds());
            String difference = baseline == null ? "n/a"
                    : String.format(Locale.ROOT, "%.2e", maxRelativeDifference(row.values(), baseline.values()));
            String bound = Double.isNaN(row.claimedBound()) ? "" : String.format(Locale.ROOT, "%.1e", row.claimedBound());
            out.printf(Locale.ROOT, "%-11s %-14s %-30s %-17s %10.3f %10s %14s %14s%n", row.shape(), row.spectrum(),
                    row.method(), row.route(), row.seconds(), speedup, difference, bound);
        }
        out.println("vs NumPy = NumPy seconds / method seconds (higher is faster); max rel diff over σ ≥ 1e-3·σ_max"
                + " of NumPy's values; claimed bound = Lasermesh's largest relative error bound there");
    }

    private static void printBar(PrintStream out, List<Measurement> rows) {
        List<Measurement> nativeRows = rows.stream().filter(r -> !r.spectrum().equals(GAUSSIAN)
                && r.method().startsWith("lasermesh-openblas") && numpyFor(rows, r) != null).toList();
        if (nativeRows.isEmpty()) {
            out.println("bar (native ≥ " + BAR_SPEEDUP + "x NumPy on heavy-tailed spectra): not measured in this run");
            return;
        }
        for (Measurement row : nativeRows) {
            Measurement baseline = numpyFor(rows, row);
            double speedup = baseline.seconds() / row.seconds();
            double difference = maxRelativeDifference(row.values(), baseline.values());
            boolean met = speedup >= BAR_SPEEDUP && difference <= BAR_DIFFERENCE;
            out.printf(Locale.ROOT, "bar (native ≥ %.0fx NumPy, differences ≤ %.0e) at %s %s: %.2fx, %.2e -> %s%n",
                    BAR_SPEEDUP, BAR_DIFFERENCE, row.shape(), row.spectrum(), speedup, difference,
                    met ? "MET" : "NOT MET");
        }
    }

    private static Measurement numpyFor(List<Measurement> rows, Measurement row) {
        return rows.stream().filter(r -> r.shape().equals(row.shape()) && r.spectrum().equals(row.spectrum())
                && r.method().equals("numpy")).findFirst().orElse(null);
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

    /** Deletes a benchmark's temporary folder and its files; a failure is reported, not thrown. */
    static void deleteTemporary(Path directory) {
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
