package dev.lasermesh.cli;

import dev.lasermesh.core.bench.AnalyzeBenchmark;
import dev.lasermesh.core.bench.MatrixShape;
import dev.lasermesh.core.bench.QuantBenchmark;
import dev.lasermesh.core.bench.SpectrumBenchmark;
import dev.lasermesh.core.bench.TruncateBenchmark;
import dev.lasermesh.core.bench.WhitenBenchmark;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.bench.CalibrateBenchmark;
import dev.lasermesh.core.eval.bench.EncoderBenchmark;
import dev.lasermesh.core.eval.bench.EvalBenchmark;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
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
            BenchCommand.Quant.class, BenchCommand.Calibrate.class, BenchCommand.Whiten.class, BenchCommand.Truncate.class,
            BenchCommand.SyntheticModelCommand.class})
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
     * the speed-up of incremental evaluation for candidates in the last third of the layers; with
     * {@code --encoder}, the same for a BERT sentence encoder (sentences/s, the last layer's candidate).
     */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluation throughput (tokens/s) on 128-token windows: the demo model and a "
                    + "SmolLM2-135M-shaped model with random weights, Lasermesh vs PyTorch (same threads each "
                    + "side), and the incremental-evaluation speed-up. With --encoder: sentences/s of a BERT "
                    + "sentence encoder on a task's texts, Lasermesh vs PyTorch on the same batches, the BLAS of "
                    + "each side, the largest embedding difference, and a last-layer candidate scored from the "
                    + "cache vs a full pass.")
    static final class Eval implements Callable<Integer> {

        private static final EvalBenchmark.Options DEFAULTS = EvalBenchmark.Options.defaults();
        private static final EncoderBenchmark.Options ENCODER_DEFAULTS = EncoderBenchmark.Options.defaults();

        @Option(names = "--tiny-llama", paramLabel = "DIR", description = "The small real model (default: ${DEFAULT-VALUE}).")
        Path tinyLlama = Path.of("models", "demo-llama");

        @Option(names = "--text", paramLabel = "FILE", description = "Text its windows come from (default: ${DEFAULT-VALUE}).")
        Path text = Path.of("data", "sotu-2009-2021.txt");

        @Option(names = "--windows", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Windows per model (default: ${DEFAULT-VALUE}).")
        int windows = DEFAULTS.windows();

        @Option(names = "--encoder", arity = "0..1", paramLabel = "DIR", fallbackValue = "../shared/fixtures/minilm",
                description = "Benchmark this sentence-encoder folder instead of the decoders (default: the "
                        + "decoders; given without a folder: ${FALLBACK-VALUE}).")
        Path encoder;

        @Option(names = "--task", paramLabel = "DIR",
                description = "With --encoder: the task folder whose train then test texts are embedded "
                        + "(default: the encoder folder's task/).")
        Path task;

        @Option(names = "--texts", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "With --encoder: how many texts are embedded (default: 192).")
        Integer texts;

        @Option(names = "--threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Threads of each side (default: ${DEFAULT-VALUE}).")
        int threads = DEFAULTS.threads();

        @Option(names = "--repeats", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed repetitions; the best is reported, and the median of as many paired "
                        + "timings for the cache speed-up (default: 2, 3 with --encoder).")
        Integer repeats;

        @Option(names = "--torch-path", paramLabel = "DIR",
                description = "A folder with PyTorch installed, put on PYTHONPATH (default: none, install the "
                        + "wheel of --wheel-dir).")
        Path torchPath;

        @Option(names = "--wheel-dir", paramLabel = "DIR",
                description = "A folder holding a torch-*.whl (default: ${DEFAULT-VALUE}).")
        Path wheelDir = DEFAULTS.wheelDir();

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the synthetic model, token and batch files are written (default: ${DEFAULT-VALUE}).")
        Path workDir = DEFAULTS.workDir();

        @Override
        public Integer call() throws Exception {
            if (torchPath != null && !Files.isDirectory(torchPath)) {
                throw new InvalidInputException("--torch-path " + torchPath + ": folder not found");
            }
            if (encoder != null) {
                EncoderBenchmark.run(encoderOptions(), System.out);
                return 0;
            }
            if (task != null || texts != null) {
                throw new InvalidInputException((task != null ? "--task" : "--texts") + " is an option of the encoder "
                        + "benchmark: add --encoder");
            }
            EvalBenchmark.run(new EvalBenchmark.Options(tinyLlama, text, workDir, windows, threads,
                    repeats == null ? DEFAULTS.repeats() : repeats, Optional.ofNullable(torchPath), wheelDir,
                    DEFAULTS.torchCache()), System.out);
            return 0;
        }

        /** The encoder benchmark's options: the task defaults to the encoder folder's task/. */
        EncoderBenchmark.Options encoderOptions() {
            return new EncoderBenchmark.Options(encoder, task == null ? encoder.resolve("task") : task, workDir,
                    texts == null ? ENCODER_DEFAULTS.texts() : texts, threads,
                    repeats == null ? ENCODER_DEFAULTS.repeats() : repeats, Optional.ofNullable(torchPath), wheelDir,
                    ENCODER_DEFAULTS.torchCache());
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

    /** The rank-k truncation product U_k·diag(s)·V_kᵀ: Lasermesh's MatrixProduct against OpenBLAS's dgemm. */
    @Command(name = "truncate", mixinStandardHelpOptions = true,
            description = "The product of a rank-k truncation, U_k·diag(s)·V_kᵀ in float64: Lasermesh's Vector API "
                    + "MatrixProduct (warmed up on partial tiles, as a reduction runs it) vs OpenBLAS's cblas_dgemm on "
                    + "the same operands in the same run, all cores each side.")
    static final class Truncate implements Runnable {

        private static final TruncateBenchmark.Options DEFAULTS = TruncateBenchmark.Options.defaults();

        @Option(names = "--size", paramLabel = "ROWSxCOLS", converter = Shape.class,
                description = "W's size, out x in (default: 4096x4096).")
        MatrixShape size = new MatrixShape(DEFAULTS.rows(), DEFAULTS.cols());

        @Option(names = "--rank", paramLabel = "K", converter = OptionValues.PositiveInt.class,
                description = "The rank k (default: ${DEFAULT-VALUE}).")
        int rank = DEFAULTS.rank();

        @Option(names = "--repeats", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed repetitions per side; the best is reported (default: ${DEFAULT-VALUE}).")
        int repeats = DEFAULTS.repeats();

        @Override
        public void run() {
            if (rank > Math.min(size.rows(), size.cols())) {
                throw new InvalidInputException("--rank " + rank + ": larger than min(out, in) of --size " + size);
            }
            TruncateBenchmark.run(System.out, new TruncateBenchmark.Options(size.rows(), size.cols(), rank, repeats,
                    DEFAULTS.seed()));
        }
    }

    /** Calibration throughput (XᵀX of every linear input) against PyTorch forward hooks on the same windows. */
    @Command(name = "calibrate", mixinStandardHelpOptions = true,
            description = "Calibration throughput (tokens/s) on a SmolLM2-135M-shaped model with random weights, all "
                    + "linears selected: Lasermesh's calibration pass (float32 forward, X^T X and column sums in "
                    + "float64) vs PyTorch forward hooks collecting the same on the same windows (same threads each "
                    + "side), both sides' BLAS, and the largest difference between their Grams.")
    static final class Calibrate implements Callable<Integer> {

        private static final CalibrateBenchmark.Options DEFAULTS = CalibrateBenchmark.Options.defaults();

        @Option(names = "--windows", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Calibration windows of 128 random tokens (default: ${DEFAULT-VALUE}).")
        int windows = DEFAULTS.windows();

        @Option(names = "--threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Threads of each side (default: ${DEFAULT-VALUE}).")
        int threads = DEFAULTS.threads();

        @Option(names = "--repeats", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed repetitions per side; the best is reported (default: ${DEFAULT-VALUE}).")
        int repeats = DEFAULTS.repeats();

        @Option(names = "--torch-path", paramLabel = "DIR",
                description = "A folder with PyTorch installed, put on PYTHONPATH (default: none, install the "
                        + "wheel of --wheel-dir).")
        Path torchPath;

        @Option(names = "--wheel-dir", paramLabel = "DIR",
                description = "A folder holding a torch-*.whl (default: ${DEFAULT-VALUE}).")
        Path wheelDir = DEFAULTS.wheelDir();

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where the synthetic model, ids and both sides' statistics are written (default: "
                        + "${DEFAULT-VALUE}).")
        Path workDir = DEFAULTS.workDir();

        @Override
        public Integer call() throws Exception {
            if (torchPath != null && !Files.isDirectory(torchPath)) {
                throw new InvalidInputException("--torch-path " + torchPath + ": folder not found");
            }
            CalibrateBenchmark.run(new CalibrateBenchmark.Options(workDir, windows, threads, repeats,
                    Optional.ofNullable(torchPath), wheelDir, DEFAULTS.torchCache()), System.out);
            return 0;
        }
    }

    /** SVD-LLM whitening of one 7B-sized matrix: Lasermesh against NumPy on the same W and XᵀX. */
    @Command(name = "whiten", mixinStandardHelpOptions = true,
            description = "SVD-LLM whitening (DESIGN 7.4) of one matrix with a synthetic calibration Gram X^T X: "
                    + "Lasermesh (Cholesky, W*S, all singular values of W*S, the top-k factors, triangular solve) vs "
                    + "NumPy (cholesky + W @ S + svd + solve) in a subprocess of the same run, one BLAS thread each, "
                    + "with the largest differences of the spectra and of W_k.")
    static final class Whiten implements Runnable {

        private static final WhitenBenchmark.Options DEFAULTS = WhitenBenchmark.Options.defaults();

        @Option(names = "--size", paramLabel = "OUTxIN", converter = Shape.class,
                description = "W's shape, out x in (default: ${DEFAULT-VALUE}, Llama-2-7B's mlp.down_proj; e.g. "
                        + "512x1408 for a quick run).")
        MatrixShape size = DEFAULTS.shape();

        @Option(names = "--rank", paramLabel = "K", converter = OptionValues.PositiveInt.class,
                description = "Rank k of the factors (default: ${DEFAULT-VALUE}, a quarter of min(out, in) at the "
                        + "default size).")
        int rank = DEFAULTS.rank();

        @Option(names = "--repetitions", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Timed runs per side; the best is reported (default: ${DEFAULT-VALUE}).")
        int repetitions = DEFAULTS.repetitions();

        @Option(names = "--seed", paramLabel = "N", description = "Seed of W, X and the probes (default: ${DEFAULT-VALUE}).")
        long seed = DEFAULTS.seed();

        @Option(names = "--python", paramLabel = "PATH",
                description = "The Python with NumPy that runs the baseline (default: ${DEFAULT-VALUE}).")
        String python = DEFAULTS.python();

        @Override
        public void run() {
            if (rank > Math.min(size.rows(), size.cols())) {
                throw new InvalidInputException("--rank " + rank + ": larger than min(out, in) of --size " + size);
            }
            WhitenBenchmark.run(System.out, new WhitenBenchmark.Options(size, rank, repetitions, seed, python));
        }
    }

    /**
     * Writes a model folder with random weights at a real model's shape ({@link SyntheticModel}), for
     * measuring memory and time at 7B scale without downloading one; the tokenizer files are copied from
     * a small model whose ids all lie below the vocabulary size.
     */
    @Command(name = "synthetic-model", mixinStandardHelpOptions = true,
            description = "Write a Llama-family model folder with random N(0, 0.02^2) weights at a real model's shape "
                    + "(for memory and speed measurements), with the tokenizer of --tokenizer-from.")
    static final class SyntheticModelCommand implements Callable<Integer> {

        /** The tokenizer files copied when the source folder has them. */
        private static final List<String> TOKENIZER_FILES =
                List.of(TextTokenizer.FILE_NAME, "tokenizer_config.json", "special_tokens_map.json");

        /** The shapes on offer. */
        enum Shape {
            MISTRAL_7B, SMOLLM2_135M;

            SyntheticModel model(DType dtype, long seed) {
                return this == MISTRAL_7B ? SyntheticModel.mistral7B(dtype, seed) : SyntheticModel.smolLm2_135M(dtype, seed);
            }
        }

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "The folder to write; it must not exist or be empty (required).")
        Path out;

        @Option(names = "--shape", paramLabel = "SHAPE",
                description = "MISTRAL_7B (32 layers, hidden 4096, intermediate 14336, 32/8 heads, vocab 32000) or "
                        + "SMOLLM2_135M (default: ${DEFAULT-VALUE}).")
        Shape shape = Shape.MISTRAL_7B;

        @Option(names = "--dtype", paramLabel = "DTYPE", description = "BF16, F16 or F32 (default: ${DEFAULT-VALUE}).")
        DType dtype = DType.BF16;

        @Option(names = "--layers", paramLabel = "N", converter = OptionValues.PositiveInt.class,
                description = "Decoder layers (default: the shape's).")
        Integer layers;

        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--max-shard", paramLabel = "SIZE", converter = OptionValues.ByteSize.class,
                description = "Largest safetensors shard, as for -Xmx (default: 5g, as Hugging Face shards).")
        long maxShard = 5L << 30;

        @Option(names = "--tokenizer-from", paramLabel = "DIR",
                description = "A model folder whose tokenizer files are copied (default: ${DEFAULT-VALUE}).")
        Path tokenizerFrom = Path.of("models", "demo-llama");

        @Override
        public Integer call() throws IOException {
            if (dtype == DType.F64) {
                throw new InvalidInputException("--dtype F64: model weights are written as BF16, F16 or F32");
            }
            if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
                throw new InvalidInputException("--out " + out + ": exists and is not an empty folder");
            }
            if (!Files.isRegularFile(tokenizerFrom.resolve(TextTokenizer.FILE_NAME))) {
                throw new InvalidInputException("--tokenizer-from " + tokenizerFrom + ": has no " + TextTokenizer.FILE_NAME);
            }
            SyntheticModel model = shape.model(dtype, seed);
            if (layers != null) {
                model = model.withLayers(layers);
            }
            Files.createDirectories(out);
            model.write(out, maxShard);
            for (String file : TOKENIZER_FILES) {
                if (Files.isRegularFile(tokenizerFrom.resolve(file))) {
                    Files.copy(tokenizerFrom.resolve(file), out.resolve(file));
                }
            }
            System.out.printf("%s: %s %s, %d layers, %d parameters, %d bytes of tensor data%n", out, shape, dtype,
                    model.numHiddenLayers(), model.parameterCount(), model.dataBytes());
            return 0;
        }

        private static boolean isEmpty(Path folder) throws IOException {
            try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
                return entries.findAny().isEmpty();
            }
        }
    }
}
