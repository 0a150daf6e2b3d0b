package dev.lasermesh.core.eval.bench;

import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.EvaluationText;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code lasermesh bench eval}: prefill throughput (tokens/s) of the laserrmt evaluation on 128-token
 * windows for (a) a real small model (tiny-llama) and (b) a SmolLM2-135M-shaped Llama with random
 * weights, next to PyTorch on the same windows and weights in the same run, both with the same number
 * of threads; then the speed-up of evaluating a candidate that changes one of the last layers, thanks
 * to the hidden-state cache. Prints ratios; asserts nothing.
 */
public final class EvalBenchmark {

    private static final int WINDOW = 128;

    /**
     * @param tinyLlama folder of the tiny-llama fixture (with tokenizer.json)
     * @param text      text its windows come from
     * @param workDir   where the synthetic model and id files are written
     * @param windows   windows per model
     * @param threads   threads for both sides
     * @param repeats   timed repetitions (best is reported)
     * @param torchPath folder with PyTorch installed (PYTHONPATH); empty = install from {@code wheelDir}
     * @param wheelDir  folder holding a {@code torch-*.whl}
     * @param torchCache where the wheel is installed once
     */
    public record Options(Path tinyLlama, Path text, Path workDir, int windows, int threads, int repeats,
                          Optional<Path> torchPath, Path wheelDir, Path torchCache) {

        /** Defaults for this repository's layout: fixtures in ../shared/fixtures, wheel in /opt/wheels. */
        public static Options defaults() {
            Path fixtures = Path.of("..", "shared", "fixtures");
            return new Options(fixtures.resolve("tiny-llama"), fixtures.resolve("text/sotu-2009-2021.txt"),
                    Path.of(System.getProperty("java.io.tmpdir"), "lasermesh-bench-eval"), 16, 2, 2, Optional.empty(),
                    TorchInstall.WHEELS, TorchInstall.CACHE);
        }
    }

    private EvalBenchmark() {
    }

    /** Runs both benchmarks and prints the table. */
    public static void run(Options o, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(o.workDir());
        Optional<TorchBaseline> torch = TorchBaseline.locate(o.torchPath(), o.torchCache(), o.wheelDir(), o.workDir());
        if (torch.isEmpty()) {
            out.println("PyTorch not available (no torch path and no torch-*.whl in " + o.wheelDir() + "): Java side only");
        }
        out.printf(Locale.ROOT, "evaluation throughput, laserrmt protocol, %d windows of %d tokens, %d threads each side%n",
                o.windows(), WINDOW, o.threads());
        int streamLength = o.windows() * WINDOW;
        int[] tinyIds;
        try (TextTokenizer t = TextTokenizer.load(o.tinyLlama())) {
            tinyIds = Arrays.copyOf(EvaluationText.read(o.text(), t).ids(), streamLength - 1);
        }
        benchmark("tiny-llama", o.tinyLlama(), tinyIds, o, torch, out);

        benchmark(SMOL_LABEL, smolLm2Shaped(o.workDir()), randomIds(streamLength - 1), o, torch, out);
    }

    /** The label of the SmolLM2-135M-shaped model in the tables. */
    static final String SMOL_LABEL = "SmolLM2-135M-shaped (random weights)";

    /** The SmolLM2-135M-shaped float32 model with random weights (seed 42), written into {@code workDir} once. */
    static Path smolLm2Shaped(Path workDir) throws IOException {
        Path smol = workDir.resolve("smollm2-135m-shaped");
        if (!Files.isRegularFile(smol.resolve("config.json"))) {
            SyntheticModel.smolLm2_135M(DType.F32, 42).write(smol, Long.MAX_VALUE);
        }
        return smol;
    }

    /** {@code count} token ids drawn uniformly from SmolLM2's vocabulary without its special ids (seed 7). */
    static int[] randomIds(int count) {
        SplittableRandom random = new SplittableRandom(7);
        return IntStream.range(0, count).map(i -> random.nextInt(3, 49152)).toArray();
    }

    /** Writes BOS then {@code ids}, whitespace-separated, the id file the PyTorch scripts read. */
    static Path writeIds(Path file, int bos, int[] ids) throws IOException {
        Files.writeString(file, bos + " " + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        return file;
    }

    private static void benchmark(String label, Path folder, int[] ids, Options o, Optional<TorchBaseline> torch, PrintStream out)
            throws IOException, InterruptedException {
        ModelConfig config = ModelConfig.read(folder.resolve("config.json"));
        int bos = config.bosTokenId().orElseThrow();
        WindowPlan plan = WindowPlan.of(ProtocolSpec.laserRmt(WINDOW), List.of(new TokenizedText(label, ids)), bos);
        long tokens = (long) plan.windows().size() * WINDOW;
        out.printf(Locale.ROOT, "%n%s: %d layers, hidden %d, vocab %d%n", label, config.numHiddenLayers(), config.hiddenSize(),
                config.vocabSize());
        double javaSeconds;
        try (TensorSource source = TensorSources.open(folder)) {
            DecoderWeights weights = DecoderWeights.bind(config, source);
            ModelState base = weights.baseState();
            double[] ppl = new double[1];
            try (PerplexityEvaluator full = new PerplexityEvaluator(weights, plan, o.threads(), 0)) {
                full.evaluate(base, EvalProgress.NONE);
                javaSeconds = PairedTiming.best(o.repeats(), () -> ppl[0] = full.evaluate(base, EvalProgress.NONE).perplexity());
                out.printf(Locale.ROOT, "  %-26s %9.1f tokens/s  (%.3f s, ppl %.6f)%n", "java full pass", tokens / javaSeconds,
                        javaSeconds, ppl[0]);
                incremental(weights, source, plan, full, o, out);
            }
        }
        if (torch.isPresent()) {
            Path idFile = writeIds(o.workDir().resolve(folder.getFileName() + "-ids.txt"), bos, ids);
            TorchBaseline.Result bestTorch = null;
            for (int batch : new int[] {1, 8}) {
                TorchBaseline.Result r = torch.get().run(folder, idFile, WINDOW, o.threads(), batch, o.repeats());
                out.printf(Locale.ROOT, "  %-26s %9.1f tokens/s  (%.3f s, ppl %.6f)%n",
                        "pytorch " + r.version() + " batch " + batch, r.tokensPerSecond(), r.seconds(), r.perplexity());
                if (bestTorch == null || r.tokensPerSecond() > bestTorch.tokensPerSecond()) {
                    bestTorch = r;
                }
            }
            out.printf(Locale.ROOT, "  ratio java / best pytorch: %.2f%n", bestTorch.seconds() / javaSeconds);
        }
    }

    /**
     * Speed-up of candidates that change one matrix in the last third of the layers (first, middle and
     * last layer of it), resumed from the cache, against a full pass ({@link PairedTiming#medianSpeedUp}).
     */
    private static void incremental(DecoderWeights weights, TensorSource source, WindowPlan plan, PerplexityEvaluator full,
                                     Options o, PrintStream out) {
        int layers = weights.config().numHiddenLayers();
        ModelState base = weights.baseState();
        try (PerplexityEvaluator cached = new PerplexityEvaluator(weights, plan, o.threads(), Long.MAX_VALUE)) {
            double anchorSeconds = PairedTiming.best(1, () -> cached.anchor(base, EvalProgress.NONE));
            out.printf(Locale.ROOT, "  %-26s %9.3f s (%d stages, %.1f MB)%n", "anchor (full pass + cache)", anchorSeconds,
                    cached.cachedStages().length, cached.cacheBytes() / 1e6);
            int first = layers - layers / 3;
            double sum = 0;
            int[] sampled = IntStream.of(first, (first + layers - 1) / 2, layers - 1).distinct().toArray();
            for (int layer : sampled) {
                String name = "model.layers." + layer + ".mlp.down_proj.weight";
                float[] w = source.readFloats(name);
                for (int i = 0; i < w.length; i++) {
                    w[i] *= 0.5f;
                }
                ModelState candidate = base.with(name, w);
                double speedUp = PairedTiming.medianSpeedUp(o.repeats(), () -> full.score(base, EvalProgress.NONE),
                        () -> cached.score(candidate, EvalProgress.NONE));
                sum += speedUp;
                out.printf(Locale.ROOT, "  candidate at layer %-2d/%-2d  %.2fx faster than a full pass (median of %d pairs)%n",
                        layer, layers, speedUp, o.repeats());
            }
            out.printf(Locale.ROOT, "  mean speed-up over layers %s: %.2fx%n", Arrays.toString(sampled), sum / sampled.length);
            ModelState headOnly = base.with("model.norm.weight", source.readFloats("model.norm.weight"));
            double headShare = 1 / PairedTiming.medianSpeedUp(o.repeats(), () -> full.score(base, EvalProgress.NONE),
                    () -> cached.score(headOnly, EvalProgress.NONE));
            out.printf(Locale.ROOT, "  final norm + head alone: %.0f%% of a full pass (the floor of any candidate)%n", 100 * headShare);
        }
    }
}
