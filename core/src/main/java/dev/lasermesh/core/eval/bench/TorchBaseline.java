package dev.lasermesh.core.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PyTorch side of the evaluation benchmark: runs {@code torch_eval.py} (a resource) with python3 on
 * the same model folder and windows. PyTorch comes from a given folder, or is installed once from a
 * CPU wheel into a cache folder ({@link TorchInstall}).
 */
final class TorchBaseline {

    /** What one PyTorch run reported. */
    record Result(double seconds, long tokens, double tokensPerSecond, double perplexity, int batch, String version) {
    }

    private final Path pythonPath;
    private final Path script;

    private TorchBaseline(Path pythonPath, Path script) {
        this.pythonPath = pythonPath;
        this.script = script;
    }

    /**
     * PyTorch from {@code torchPath} if given, else from {@code cacheDir} ({@link TorchInstall#locate});
     * empty when neither works.
     */
    static Optional<TorchBaseline> locate(Optional<Path> torchPath, Path cacheDir, Path wheelDir, Path workDir)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("torch_eval.py");
        try (InputStream in = TorchBaseline.class.getResourceAsStream("torch_eval.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Optional<Path> pythonPath = torchPath.isPresent() ? torchPath : TorchInstall.locate(cacheDir, wheelDir);
        return pythonPath.map(p -> new TorchBaseline(p, script));
    }

    /** Times the laserrmt evaluation of {@code ids} (BOS first) in windows of {@code window}, best of repeats. */
    Result run(Path model, Path ids, int window, int threads, int batch, int repeats) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--model", model.toString(),
                "--ids", ids.toString(), "--window", Integer.toString(window), "--threads", Integer.toString(threads),
                "--batch", Integer.toString(batch), "--repeats", Integer.toString(repeats)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONPATH", pythonPath.toString());
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("torch_eval.py failed (exit " + p.exitValue() + "): " + out);
        }
        try {
            JsonNode j = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
            return new Result(j.get("seconds").asDouble(), j.get("tokens").asLong(), j.get("tokens_per_s").asDouble(),
                    j.get("perplexity").asDouble(), j.get("batch").asInt(), j.get("torch").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected output of torch_eval.py: " + out, e);
        }
    }
}
