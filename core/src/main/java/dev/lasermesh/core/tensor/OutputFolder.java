package dev.lasermesh.core.tensor;

import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every command that writes a model folder makes before it writes anything: the output
 * is not the input, and an existing non-empty folder is only overwritten when it is an earlier
 * Lasermesh output (it holds the report file).
 */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Throws when {@code outDir} may not receive the output; writes nothing.
     *
     * @param marker the file that marks an earlier Lasermesh output ({@code lasermesh-report.json})
     * @throws InvalidInputException when {@code outDir} is the input folder or a non-empty folder
     *                               without {@code marker}
     */
    public static void check(Path input, Path outDir, String marker) {
        try {
            if (Files.exists(outDir) && Files.isSameFile(input.toAbsolutePath(), outDir.toAbsolutePath())) {
                throw new InvalidInputException(outDir + ": the output folder is the input model; choose another");
            }
            if (Files.isDirectory(outDir) && !Files.exists(outDir.resolve(marker))) {
                try (var entries = Files.list(outDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new InvalidInputException(outDir + ": the output folder exists, is not empty and "
                                + "is not an earlier Lasermesh output; choose another or remove it");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot check the output folder (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #check}, then creates the folder. */
    public static void prepare(Path input, Path outDir, String marker) {
        check(input, outDir, marker);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot create the output folder (" + e.getMessage() + ")", e);
        }
    }
}
