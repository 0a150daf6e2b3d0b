package dev.lasermesh.core.eval.bench;

import dev.lasermesh.core.bench.OpenBlasConfig;
import dev.lasermesh.core.eval.forward.EncoderConfig;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.forward.EncoderWeights;
import dev.lasermesh.core.eval.task.EncoderModel;
import dev.lasermesh.core.eval.task.SentenceEmbedder;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.ModelFamilies;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code lasermesh bench eval --encoder}: sentences/s of the Java BERT encoder ({@link SentenceEmbedder},
 * DESIGN §7.1) next to PyTorch ({@code torch_encoder.py}) on the same weights and the same batches in
 * the same run, with the same number of threads each side, the BLAS each side runs on, and the largest
 * difference between the two sides' embeddings (the max |Δ| that shows both compute the same thing);
 * PyTorch runs the batches as transformers does (each padded to its longest text, with an attention
 * mask) and, as its best case without padding, one text per call; the ratio is against the faster. Then the speed-up of scoring a candidate in the last
 * layer from the cached input of that layer against a full pass. Prints ratios; asserts nothing.
 *
 * <p>Threads are used as each side uses them in practice: Lasermesh embeds whole batches in parallel,
 * one per thread with single-threaded OpenBLAS inside; PyTorch runs the batches one after another with
 * its intra-op threads.
 */
public final class EncoderBenchmark {

    /**
     * @param model      the sentence-encoder folder (BERT family)
     * @param task       task folder whose texts are embedded ({@code train.jsonl}, then {@code test.jsonl})
     * @param workDir    where the batch file, scripts and PyTorch's embeddings are written
     * @param texts      how many texts are embedded
     * @param threads    threads for both sides
     * @param repeats    timed repetitions (best is reported) and pairs of the cache speed-up (median)
     * @param torchPath  folder with PyTorch installed (PYTHONPATH); empty = install from {@code wheelDir}
     * @param wheelDir   folder holding a {@code torch-*.whl}
     * @param torchCache where the wheel is installed once
     */
    public record Options(Path model, Path task, Path workDir, int texts, int threads, int repeats,
                          Optional<Path> torchPath, Path wheelDir, Path torchCache) {

        /** The MiniLM fixture of ../shared/fixtures with its task, 192 texts, 2 threads, 3 repetitions. */
        public static Options defaults() {
            Path minilm = Path.of("..", "shared", "fixtures", "minilm");
            return new Options(minilm, minilm.resolve("task"),
                    Path.of(System.getProperty("java.io.tmpdir"), "lasermesh-bench-eval"), 192, 2, 3, Optional.empty(),
                    TorchInstall.WHEELS, TorchInstall.CACHE);
        }
    }

    private EncoderBenchmark() {
    }

    /** Runs the comparison and the cache speed-up and prints them. */
    public static void run(Options o, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(o.workDir());
        TaskFolder task = TaskFolder.read(o.task());
        List<String> texts = EncoderBenchBatches.firstTexts(task, o.texts());
        Optional<TorchBaseline> torch = TorchBaseline.locate(o.torchPath(), o.torchCache(), o.wheelDir(), o.workDir());
        try (ModelSource source = ModelSource.open(o.model()); EncoderModel model = EncoderModel.of(source)) {
            EncoderWeights weights = model.weights();
            EncoderConfig c = weights.config();
            List<int[]> tokenized = model.tokenize(texts);
            List<List<int[]>> batches = EncoderBenchBatches.batches(tokenized, SentenceEmbedder.BATCH_SIZE);
            long tokens = tokenized.stream().mapToLong(ids -> ids.length).sum();
            out.printf(Locale.ROOT, "sentence embeddings, %s: %d layers, hidden %d, %s pooling%s%n", o.model(), c.layers(),
                    c.hiddenSize(), model.pooling().mode().name().toLowerCase(Locale.ROOT),
                    model.pooling().normalize() ? " + L2 normalisation" : "");
            out.printf(Locale.ROOT, "%d texts of %s (%d tokens, %.1f per text, at most %d), %d batches of %d, %d threads each side%n",
                    texts.size(), o.task(), tokens, (double) tokens / texts.size(), model.maxTokens(), batches.size(),
                    SentenceEmbedder.BATCH_SIZE, o.threads());
            out.println("  java BLAS: " + OpenBlasConfig.inProcess() + " (one thread per batch, batches in parallel)");
            EncoderState base = weights.baseState();
            try (SentenceEmbedder full = new SentenceEmbedder(weights, model.pooling(), tokenized, o.threads(), 0)) {
                full.embed(base);
                double[][][] kept = new double[1][][];
                double javaSeconds = PairedTiming.best(o.repeats(), () -> kept[0] = full.embed(base));
                out.printf(Locale.ROOT, "  %-34s %7.1f sentences/s  (%.3f s, %d tokens, best of %d)%n", "java",
                        texts.size() / javaSeconds, javaSeconds, tokens, o.repeats());
                if (torch.isPresent()) {
                    Path batchFile = o.workDir().resolve("encoder-batches.json");
                    Files.writeString(batchFile, EncoderBenchBatches.json(batches));
                    double bestTorch = Double.MAX_VALUE;
                    String torchBlas = "";
                    for (boolean perText : new boolean[] {false, true}) {
                        TorchBaseline.EmbeddingResult t = torch.get().embed(o.model(), batchFile, texts.size(), c.hiddenSize(),
                                model.pooling(), perText, o.threads(), o.repeats());
                        out.printf(Locale.ROOT, "  %-34s %7.1f sentences/s  (%.3f s, %d tokens, best of %d); max |java - pytorch|"
                                + " %.1e%n", "pytorch " + t.version() + (perText ? " one text per call" : " same batches"),
                                t.sentencesPerSecond(), t.seconds(), t.paddedTokens(), o.repeats(),
                                EmbeddingDifference.maxAbs(kept[0], t.embeddings()));
                        bestTorch = Math.min(bestTorch, t.seconds());
                        torchBlas = t.blas();
                    }
                    out.println("  pytorch BLAS: " + torchBlas);
                    out.printf(Locale.ROOT, "  ratio java / best pytorch: %.2fx%n", bestTorch / javaSeconds);
                } else {
                    out.println("  PyTorch not available (no torch path and no torch-*.whl in " + o.wheelDir()
                            + "): Java side only");
                }
                cachedCandidate(model, source, full, tokenized, o, out);
            }
        }
    }

    /**
     * A candidate that changes the FFN output matrix of the last layer, scored from the cached input of
     * that layer, against a full pass of the base ({@link PairedTiming#medianSpeedUp}); and the check
     * that the resumed embeddings equal a full pass of the candidate.
     */
    private static void cachedCandidate(EncoderModel model, ModelSource source, SentenceEmbedder full, List<int[]> tokenized,
                                        Options o, PrintStream out) {
        EncoderWeights weights = model.weights();
        int layer = weights.config().layers() - 1;
        String name = source.catalogue().prefix() + ModelFamilies.BERT.tensor("down").name(layer);
        float[] w = source.tensors().readFloats(name);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 0.5f;
        }
        EncoderState base = weights.baseState();
        EncoderState candidate = base.with(name, w);
        try (SentenceEmbedder cached = new SentenceEmbedder(weights, model.pooling(), tokenized, o.threads(), Long.MAX_VALUE)) {
            double anchorSeconds = PairedTiming.best(1, () -> cached.anchor(base));
            out.printf(Locale.ROOT, "  %-22s %8.3f s (%d stages, %.1f MB)%n", "anchor (full + cache)", anchorSeconds,
                    cached.cachedStages().length, cached.cacheBytes() / 1e6);
            double speedUp = PairedTiming.medianSpeedUp(o.repeats(), () -> full.embed(base), () -> cached.embed(candidate));
            double difference = EmbeddingDifference.maxAbs(full.embed(candidate), cached.embed(candidate));
            out.printf(Locale.ROOT, "  candidate %s (resumes at stage %d): %.2fx faster than a full pass (median of %d"
                    + " pairs); max |cached - full| %.1e%n", name, cached.resumeStage(candidate), speedUp, o.repeats(), difference);
        }
    }
}
