package dev.lasermesh.core.eval.bench;

import dev.lasermesh.core.bench.LargestDifference;
import dev.lasermesh.core.bench.OpenBlasConfig;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code lasermesh bench calibrate}: calibration throughput (tokens/s) on a SmolLM2-135M-shaped model
 * with random weights, all 210 linears of its 30 layers selected: Lasermesh's {@link CalibrationPass}
 * (float32 forward, the input of every linear where DESIGN §7.4 takes it, XᵀX and column sums in float64,
 * each layer's statistics written to the calibration folder; windows and bands of XᵀX in parallel, one
 * OpenBLAS thread per worker) next to PyTorch forward hooks collecting
 * the same XᵀX and sums ({@code torch_calibrate.py}, SVD-LLM's way) on the same windows and weights in
 * the same run, the same number of threads each side; then the largest difference between the two
 * sides' Grams of the first and last layer. Prints the ratio; asserts nothing.
 */
public final class CalibrateBenchmark {

    static final double BAR_SPEEDUP = 1.0;
    private static final int WINDOW = 128;
    /** The sites in the order torch_calibrate.py writes their Grams. */
    private static final List<LinearInput> SITES = List.of(LinearInput.ATTENTION_INPUT, LinearInput.ATTENTION_OUTPUT,
            LinearInput.MLP_INPUT, LinearInput.MLP_HIDDEN);

    /**
     * @param workDir    where the synthetic model, id file, scripts and both sides' statistics are written
     * @param windows    calibration windows of 128 tokens
     * @param threads    threads of each side
     * @param repeats    timed repetitions (best is reported)
     * @param torchPath  folder with PyTorch installed (PYTHONPATH); empty = install from {@code wheelDir}
     * @param wheelDir   folder holding a {@code torch-*.whl}
     * @param torchCache where the wheel is installed once
     */
    public record Options(Path workDir, int windows, int threads, int repeats, Optional<Path> torchPath, Path wheelDir,
                          Path torchCache) {

        /** 16 windows (2048 tokens, the corpus fixture's calibration size), 2 threads, 2 repetitions. */
        public static Options defaults() {
            return new Options(Path.of(System.getProperty("java.io.tmpdir"), "lasermesh-bench-calibrate"), 16, 2, 2,
                    Optional.empty(), TorchInstall.WHEELS, TorchInstall.CACHE);
        }
    }

    private CalibrateBenchmark() {
    }

    /** Runs both sides and prints the comparison. */
    public static void run(Options o, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(o.workDir());
        Optional<TorchBaseline> torch = TorchBaseline.locate(o.torchPath(), o.torchCache(), o.wheelDir(), o.workDir());
        Path model = EvalBenchmark.smolLm2Shaped(o.workDir());
        ModelConfig config = ModelConfig.read(model.resolve("config.json"));
        int bos = config.bosTokenId().orElseThrow();
        int[] ids = EvalBenchmark.randomIds(o.windows() * WINDOW - 1);
        WindowPlan plan = WindowPlan.of(ProtocolSpec.laserRmt(WINDOW), List.of(new TokenizedText("random ids", ids)), bos);
        long tokens = (long) plan.windows().size() * WINDOW;
        List<MatrixRef> linears;
        try (ModelSource source = ModelSource.open(model)) {
            linears = source.catalogue().matrices().stream().filter(m -> m.layer() >= 0).toList();
        }
        int last = config.numHiddenLayers() - 1;
        out.printf(Locale.ROOT, "calibration throughput, %s: %d layers, hidden %d, intermediate %d; %d linears, %d windows"
                + " of %d tokens (%d tokens), %d threads each side%n", EvalBenchmark.SMOL_LABEL, config.numHiddenLayers(),
                config.hiddenSize(), config.intermediateSize(), linears.size(), plan.windows().size(), WINDOW, tokens,
                o.threads());
        out.printf(Locale.ROOT, "machine: %d processors, load average %.2f at start, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
        out.println("both sides: float32 forward (no logits), X^T X and column sums of X accumulated in float64 for the 4"
                + " distinct inputs of each layer (q/k/v share one, gate/up share one), i.e. all " + linears.size()
                + " linears");
        out.println("  java: windows in parallel (one OpenBLAS thread each), cblas_sgemm forward, X^T X of X in float64"
                + " per block of windows (about " + CalibrationPass.BLOCK_ROWS + " rows) by dgemm of 64-row bands of C"
                + " (bands in parallel), summed double-double; each layer's statistics written to the calibration"
                + " folder; BLAS: " + OpenBlasConfig.inProcess());
        out.println("  pytorch: torch_eval forward with nn.Linear modules, forward hooks x.double(), gram.addmm_(x.T, x),"
                + " sum += x.sum(0), all in memory");
        Path javaFolder = o.workDir().resolve("calibration-java");
        CalibrationStore[] store = new CalibrationStore[1];
        double javaSeconds;
        try (TensorSource source = TensorSources.open(model)) {
            DecoderWeights weights = DecoderWeights.bind(config, source);
            Runnable pass = () -> store[0] = CalibrationPass.run(weights, plan, linears, javaFolder, o.threads(),
                    CalibrationPass.Progress.NONE);
            pass.run();
            javaSeconds = PairedTiming.best(o.repeats(), pass);
        }
        out.printf(Locale.ROOT, "  %-30s %9.1f tokens/s  (%.3f s, best of %d)%n", "java", tokens / javaSeconds, javaSeconds,
                o.repeats());
        if (torch.isEmpty()) {
            out.println("  PyTorch not available (no torch path and no torch-*.whl in " + o.wheelDir() + "): Java side only");
            return;
        }
        Path idFile = EvalBenchmark.writeIds(o.workDir().resolve("calibration-ids.txt"), bos, ids);
        double bestTorch = Double.MAX_VALUE;
        String torchBlas = "";
        double worst = 0;
        for (int batch : new int[] {1, 8}) {
            Path grams = o.workDir().resolve("torch-grams-batch" + batch + ".f64");
            TorchBaseline.CalibrationResult r = torch.get().calibrate(model, idFile, WINDOW, o.threads(), batch,
                    o.repeats(), List.of(0, last), grams);
            out.printf(Locale.ROOT, "  %-30s %9.1f tokens/s  (%.3f s, best of %d)%n",
                    "pytorch " + r.version() + " batch " + batch, r.tokensPerSecond(), r.seconds(), o.repeats());
            bestTorch = Math.min(bestTorch, r.seconds());
            torchBlas = r.blas();
            worst = Math.max(worst, largestGramDifference(store[0], List.of(0, last), grams));
        }
        out.println("  pytorch BLAS: " + torchBlas);
        out.printf(Locale.ROOT, "  Grams of layers 0 and %d, 4 inputs each: max |C_java - C_torch| / max |C_torch| = %.1e"
                + " (float32 forwards differ in rounding; the accumulation is float64 on both sides)%n", last, worst);
        double ratio = bestTorch / javaSeconds;
        out.printf(Locale.ROOT, "  ratio java / best pytorch: %.2fx; bar (≥ %.0fx): %s%n", ratio, BAR_SPEEDUP,
                ratio >= BAR_SPEEDUP ? "MET" : "NOT MET");
    }

    /** The largest max|ΔC|/max|C| over the Grams PyTorch wrote for {@code layers} ({@link #SITES} order each). */
    private static double largestGramDifference(CalibrationStore store, List<Integer> layers, Path grams) throws IOException {
        DoubleBuffer torch = ByteBuffer.wrap(Files.readAllBytes(grams)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double worst = 0;
        for (int layer : layers) {
            for (LinearInput site : SITES) {
                DenseMatrix java = store.read(layer, site).gram();
                double[] reference = new double[java.rows() * java.cols()];
                torch.get(reference);
                worst = Math.max(worst, LargestDifference.relativeToLargest(java.data(), reference));
            }
        }
        if (torch.hasRemaining()) {
            throw new IOException(grams + " holds more values than the Grams of layers " + layers);
        }
        return worst;
    }
}
