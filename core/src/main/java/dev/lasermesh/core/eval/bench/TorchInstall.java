package dev.lasermesh.core.eval.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * PyTorch for the Python sides of Lasermesh's benchmarks and cross-checks: a folder to put on
 * {@code PYTHONPATH}, installed once from a CPU wheel ({@code pip install --no-deps --target}) so
 * that nothing is downloaded.
 */
public final class TorchInstall {

    /** Where the project machines keep the PyTorch CPU wheel. */
    public static final Path WHEELS = Path.of("/opt/wheels");
    /** Where the wheel is installed once. */
    public static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "lasermesh", "torchlib");

    private TorchInstall() {
    }

    /**
     * {@code cacheDir} when PyTorch is installed there, after installing the first {@code torch-*.whl}
     * of {@code wheelDir} into it if it is not yet; empty when there is no wheel or pip fails.
     */
    public static Optional<Path> locate(Path cacheDir, Path wheelDir) throws IOException, InterruptedException {
        if (Files.isDirectory(cacheDir.resolve("torch"))) {
            return Optional.of(cacheDir);
        }
        Optional<Path> wheel = findWheel(wheelDir);
        if (wheel.isEmpty()) {
            return Optional.empty();
        }
        Files.createDirectories(cacheDir);
        int rc = new ProcessBuilder("python3", "-m", "pip", "install", "-q", "--no-deps", "--target",
                cacheDir.toString(), wheel.get().toString()).inheritIO().start().waitFor();
        return rc == 0 ? Optional.of(cacheDir) : Optional.empty();
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
}
