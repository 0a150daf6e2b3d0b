package dev.lasermesh.cli;

import dev.lasermesh.core.bench.AnalyzeBenchmark;
import dev.lasermesh.core.bench.MatrixShape;
import dev.lasermesh.core.bench.QuantBenchmark;
import dev.lasermesh.core.bench.SpectrumBenchmark;
import dev.lasermesh.core.eval.bench.EvalBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lasermesh bench}: benchmarks that time Lasermesh against a baseline run in the same
 * process or script on the same machine, and print the ratio (never asserted in tests).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks against a baseline measured in the same run.",
        subcommands = {BenchCommand.Spectrum.class, BenchCommand.Analyze.class, BenchCommand.Eval.class,
            BenchCommand.Quant.class})
final class BenchCommand {

    /** All singular values of heavy-tailed or Gaussian matrices: Lasermesh against NumPy. */
    @Command(name = "spectrum", mixinStandardHelpOptions = true,
            description = "Singular values of matrices with heavy-tailed spectra (cond 1e3-1e6) or Gaussian ones: "
                    + "Lasermesh (native, optionally pure Java) vs NumPy np.linalg.svd(W, compute_uv=False) in a "
                    + "subprocess of the same run, one thread each, both on the OpenBLAS kernel picked for this CPU.")
    static final class Spectrum implements Runnable {

        private static final SpectrumBenchmark.Options DEFAULTS = SpectrumBenchmark.Options.defaults();

        @Option(names = "--sizes", split = ",", paramLabel = "ROWSxCOLS", converter = Shape.class,
                description = "Matrix sizes (default: 4096x4096,4096x11008,4096x14336; e.g. 512x1408 for a quick run).")
        List<MatrixShape> sizes = DEFAULTS.sizes();

        @Option(names = "--spectra", split = ",", paramLabel = "SPECTRUM",
                description = "Per size: gaussian, or a condition number C for a heavy-tailed spectrum falling to "
                        + "sigma_max/C (default: 1e3,1e4,1e6).")
        List<String> spectra = DEFAULTS.spectra();

        @Option(names = "--repetitions", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed runs per method and size; the best is reported (default: ${DEFAULT-VALUE}).")
        int repetitions = DEFAULTS.repetitions();

        @Option(names = "--java", description = "Also time the pure-Java backend (slow at the default sizes).")
        boolean java;

        @Option(names = "--java-threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Kernel threads of the pure-Java backend (default: ${DEFAULT-VALUE}).")
        int javaThreads = DEFAULTS.javaThreads();

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the Gaussian matrices (default: ${DEFAULT-VALUE}).")
        long seed = DEFAULTS.seed();

        @Option(names = "--python", paramLabel = "PATH",
                description = "The Python with NumPy that runs the baseline (default: ${DEFAULT-VALUE}).")
        String python = DEFAULTS.python();

        @Override
        public void run() {
            SpectrumBenchmark.run(System.out,
                    new SpectrumBenchmark.Options(sizes, spectra, repetitions, !java, javaThreads, seed, python));
        }
    }

    /** Whole-model analysis throughput on a Mistral-7B-shaped BF16 model against Spectrum's svdvals scan. */
    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = "Analysis throughput (matrices/minute, projected hours for 32/80/126 layers) on a "
                    + "Mistral-7B-shaped BF16 model with random weights, using both cores two ways, vs Spectrum's "
                    + "svdvals loop (PyTorch, or NumPy when torch is absent) over the same matrices in the same run.")
    static final class Analyze implements Runnable {

        private static final AnalyzeBenchmark.Options DEFAULTS = AnalyzeBenchmark.Options.defaults();

        @Option(names = "--layers", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Decoder layers to write and analyse, 1..32; each is 0.44 GB (default: ${DEFAULT-VALUE}).")
        int layers = DEFAULTS.layers();

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the model is written and deleted afterwards (default: ${DEFAULT-VALUE}).")
        Path workDir = DEFAULTS.workDir();

        @Option(names = "--python", paramLabel = "PATH",
                description = "The Python with NumPy or PyTorch that runs the baseline (default: ${DEFAULT-VALUE}).")
        String python = DEFAULTS.python();

        @Option(names = "--skip-python", description = "Leave out the Spectrum baseline.")
        boolean skipPython;

        @Override
        public void run() {
            AnalyzeBenchmark.run(System.out, new AnalyzeBenchmark.Options(layers, workDir, python, skipPython));
        }
    }

    /** {@code ROWSxCOLS}, e.g. {@code 2048x5632}. */
    static final class Shape implements ITypeConverter<MatrixShape> {
        @Override
        public MatrixShape convert(String value) {
            try {
                return MatrixShape.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Prefill throughput of the Java forward pass against PyTorch on the same windows and weights, and
     * the speed-up of incremental evaluation for candidates in the last third of the layers.
     */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluation throughput (tokens/s) on 128-token windows: the demo model and a "
                    + "SmolLM2-135M-shaped model with random weights, Lasermesh vs PyTorch (same threads each "
                    + "side), and the incremental-evaluation speed-up.")
    static final class Eval implements Callable<Integer> {

        private static final EvalBenchmark.Options DEFAULTS = EvalBenchmark.Options.defaults();

        @Option(names = "--tiny-llama", paramLabel = "DIR", description = "The small real model (default: ${DEFAULT-VALUE}).")
        Path tinyLlama = Path.of("models", "demo-llama");

        @Option(names = "--text", paramLabel = "FILE", description = "Text its windows come from (default: ${DEFAULT-VALUE}).")
        Path text = Path.of("data", "sotu-2009-2021.txt");

        @Option(names = "--windows", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Windows per model (default: ${DEFAULT-VALUE}).")
        int windows = DEFAULTS.windows();

        @Option(names = "--threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Threads of each side (default: ${DEFAULT-VALUE}).")
        int threads = DEFAULTS.threads();

        @Option(names = "--repeats", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed repetitions; the best is reported (default: ${DEFAULT-VALUE}).")
        int repeats = DEFAULTS.repeats();

        @Option(names = "--torch-path", paramLabel = "DIR",
                description = "A folder with PyTorch installed, put on PYTHONPATH (default: none, install the "
                        + "wheel of --wheel-dir).")
        Path torchPath;

        @Option(names = "--wheel-dir", paramLabel = "DIR",
                description = "A folder holding a torch-*.whl (default: ${DEFAULT-VALUE}).")
        Path wheelDir = DEFAULTS.wheelDir();

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the synthetic model and token files are written (default: ${DEFAULT-VALUE}).")
        Path workDir = DEFAULTS.workDir();

        @Override
        public Integer call() throws Exception {
            EvalBenchmark.run(new EvalBenchmark.Options(tinyLlama, text, workDir, windows, threads, repeats,
                    Optional.ofNullable(torchPath), wheelDir, DEFAULTS.torchCache()), System.out);
            return 0;
        }
    }

    /** ggml Q8_0 / Q4_0 quantize and dequantize throughput: Lasermesh against vectorised NumPy. */
    @Command(name = "quant", mixinStandardHelpOptions = true,
            description = "Quantize + dequantize throughput (values/s) of ggml Q8_0 and Q4_0 on a Gaussian float32 "
                    + "matrix, Lasermesh (Vector API, one thread) vs vectorised NumPy of the same formats in the same "
                    + "run.")
    static final class Quant implements Runnable {

        private static final QuantBenchmark.Options DEFAULTS = QuantBenchmark.Options.defaults();

        @Option(names = "--size", paramLabel = "ROWSxCOLS", converter = Shape.class,
                description = "Matrix size; the row length must be a multiple of 32 (default: ${DEFAULT-VALUE}).")
        MatrixShape size = DEFAULTS.shape();

        @Option(names = "--repetitions", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed runs per scheme and side; the best is reported (default: ${DEFAULT-VALUE}).")
        int repetitions = DEFAULTS.repetitions();

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the Gaussian matrix (default: ${DEFAULT-VALUE}).")
        long seed = DEFAULTS.seed();

        @Option(names = "--python", paramLabel = "PATH",
                description = "The Python with NumPy that runs the baseline (default: ${DEFAULT-VALUE}).")
        String python = DEFAULTS.python();

        @Override
        public void run() {
            QuantBenchmark.run(System.out, new QuantBenchmark.Options(size, repetitions, seed, python));
        }
    }
}
