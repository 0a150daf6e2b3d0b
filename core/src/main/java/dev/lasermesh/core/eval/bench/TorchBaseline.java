package dev.lasermesh.core.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PyTorch side of the evaluation benchmark: runs {@code torch_eval.py} (a resource) with python3 on
 * the same model folder and windows. PyTorch comes from a given folder, or is installed once from a
 * CPU wheel ({@code pip install --no-deps --target}) into a cache folder.
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
     * PyTorch from {@code torchPath} if given, else from {@code cacheDir}, installing the first
     * {@code torch-*.whl} of {@code wheelDir} there when it is not yet installed; empty when neither works.
     */
    static Optional<TorchBaseline> locate(Optional<Path> torchPath, Path cacheDir, Path wheelDir, Path workDir)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("torch_eval.py");
        try (InputStream in = TorchBaseline.class.getResourceAsStream("torch_eval.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        if (torchPath.isPresent()) {
            return Optional.of(new TorchBaseline(torchPath.get(), script));
        }
        if (!Files.isDirectory(cacheDir.resolve("torch"))) {
            Optional<Path> wheel = findWheel(wheelDir);
            if (wheel.isEmpty()) {
                return Optional.empty();
            }
            Files.createDirectories(cacheDir);
            int rc = new ProcessBuilder("python3", "-m", "pip", "install", "-q", "--no-deps", "--target",
                    cacheDir.toString(), wheel.get().toString()).inheritIO().start().waitFor();
            if (rc != 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new TorchBaseline(cacheDir, script));
    }

    private static Optional<Path> findWheel(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "torch-*.whl")) {
            for (Path p : s) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
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
