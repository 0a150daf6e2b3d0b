package dev.lasermesh.core.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.bench.PythonBaselineProcess;
import dev.lasermesh.core.eval.task.SentencePooling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PyTorch side of the evaluation benchmarks: runs {@code torch_eval.py} (decoder perplexity),
 * {@code torch_encoder.py} (sentence embeddings; it imports the safetensors loader of
 * {@code torch_eval.py}) or {@code torch_calibrate.py} (calibration statistics by forward hooks; it imports
 * both), resources copied next to each other, with python3 through
 * {@link PythonBaselineProcess} on the same model folder and inputs. PyTorch comes from a given folder,
 * or is installed once from a CPU wheel into a cache folder ({@link TorchInstall}).
 */
final class TorchBaseline {

    private static final long TIMEOUT_MINUTES = 60;
    private static final String DECODER_SCRIPT = "torch_eval.py";
    private static final String ENCODER_SCRIPT = "torch_encoder.py";
    private static final String CALIBRATE_SCRIPT = "torch_calibrate.py";

    /** What one PyTorch perplexity run reported. */
    record Result(double seconds, long tokens, double tokensPerSecond, double perplexity, int batch, String version) {
    }

    /** What one PyTorch calibration run reported; the saved Grams are in the file the run was given. */
    record CalibrationResult(double seconds, long tokens, double tokensPerSecond, int batch, String version, String blas) {
    }

    /**
     * What one PyTorch embedding run reported: best time, the tokens it computed (padding included), the
     * torch version, the BLAS it was built with (from {@code torch.__config__}) and the embeddings (one row
     * per text).
     */
    record EmbeddingResult(double seconds, double sentencesPerSecond, long paddedTokens, String version, String blas,
                           double[][] embeddings) {
    }

    private final Path pythonPath;
    private final Path workDir;

    private TorchBaseline(Path pythonPath, Path workDir) {
        this.pythonPath = pythonPath;
        this.workDir = workDir;
    }

    /**
     * PyTorch from {@code torchPath} if given, else from {@code cacheDir} ({@link TorchInstall#locate});
     * empty when neither works.
     */
    static Optional<TorchBaseline> locate(Optional<Path> torchPath, Path cacheDir, Path wheelDir, Path workDir)
            throws IOException, InterruptedException {
        for (String script : List.of(DECODER_SCRIPT, ENCODER_SCRIPT, CALIBRATE_SCRIPT)) {
            try (InputStream in = TorchBaseline.class.getResourceAsStream(script)) {
                Files.copy(in, workDir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Optional<Path> pythonPath = torchPath.isPresent() ? torchPath : TorchInstall.locate(cacheDir, wheelDir);
        return pythonPath.map(p -> new TorchBaseline(p, workDir));
    }

    /** Times the laserrmt evaluation of {@code ids} (BOS first) in windows of {@code window}, best of repeats. */
    Result run(Path model, Path ids, int window, int threads, int batch, int repeats) throws IOException {
        JsonNode j = python(DECODER_SCRIPT, List.of("--model", model.toString(), "--ids", ids.toString(),
                "--window", Integer.toString(window), "--threads", Integer.toString(threads),
                "--batch", Integer.toString(batch), "--repeats", Integer.toString(repeats)), threads, "the PyTorch evaluation");
        return new Result(j.get("seconds").asDouble(), j.get("tokens").asLong(), j.get("tokens_per_s").asDouble(),
                j.get("perplexity").asDouble(), j.get("batch").asInt(), j.get("torch").asText());
    }

    /**
     * Times the calibration statistics (XᵀX and column sums of every linear input) of the windows of
     * {@code ids}, best of repeats, writing the Grams of layers {@code saved} to {@code grams}.
     */
    CalibrationResult calibrate(Path model, Path ids, int window, int threads, int batch, int repeats, List<Integer> saved,
                                Path grams) throws IOException {
        JsonNode j = python(CALIBRATE_SCRIPT, List.of("--model", model.toString(), "--ids", ids.toString(),
                "--window", Integer.toString(window), "--threads", Integer.toString(threads),
                "--batch", Integer.toString(batch), "--repeats", Integer.toString(repeats),
                "--save", saved.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                "--out", grams.toString()), threads, "the PyTorch calibration");
        return new CalibrationResult(j.get("seconds").asDouble(), j.get("tokens").asLong(), j.get("tokens_per_s").asDouble(),
                j.get("batch").asInt(), j.get("torch").asText(), j.get("blas").asText());
    }

    /**
     * Times the sentence embeddings of the batches in {@code batchesJson} ({@link EncoderBenchBatches#json}),
     * best of repeats, pooled as {@code pooling}; the embeddings have {@code hiddenSize} columns. With
     * {@code perText} every text runs alone (no padding) instead of in its batch.
     */
    EmbeddingResult embed(Path model, Path batchesJson, int texts, int hiddenSize, SentencePooling pooling, boolean perText,
                          int threads, int repeats) throws IOException {
        Path out = workDir.resolve(perText ? "torch-embeddings-per-text.f64" : "torch-embeddings.f64");
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--batches", batchesJson.toString(),
                "--out", out.toString(), "--pooling", pooling.mode() == SentencePooling.Mode.MEAN ? "mean" : "cls",
                "--threads", Integer.toString(threads), "--repeats", Integer.toString(repeats)));
        if (pooling.normalize()) {
            args.add("--normalize");
        }
        if (perText) {
            args.add("--per-text");
        }
        JsonNode j = python(ENCODER_SCRIPT, args, threads, "the PyTorch sentence embeddings");
        return new EmbeddingResult(j.get("seconds").asDouble(), j.get("sentences_per_s").asDouble(),
                j.get("padded_tokens").asLong(), j.get("torch").asText(), j.get("blas").asText(),
                EmbeddingDifference.readRows(out, texts, hiddenSize));
    }

    private JsonNode python(String script, List<String> args, int threads, String what) throws IOException {
        return PythonBaselineProcess.run("python3", workDir.resolve(script), args, TIMEOUT_MINUTES, what, threads,
                Map.of("PYTHONPATH", pythonPath.toString()));
    }
}
