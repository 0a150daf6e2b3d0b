package dev.lasermesh.core.tensor;

import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule for a folder a command writes a model into: never one of its inputs, and never a
 * non-empty folder unless it is an earlier output of the same kind (it holds the command's report
 * file), so that a typo cannot overwrite someone's model.
 */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Checks {@code outDir} against the rule and creates it.
     *
     * @param inputs     the folders or files the command reads, the model first
     * @param reportFile the report file name that marks an earlier output
     * @throws InvalidInputException naming the folder when it is an input or a foreign non-empty folder
     */
    public static void prepare(Path outDir, String reportFile, Path... inputs) {
        try {
            for (Path input : inputs) {
                if (Files.exists(outDir) && Files.exists(input) && Files.isSameFile(input.toAbsolutePath(),
                        outDir.toAbsolutePath())) {
                    throw new InvalidInputException(outDir + ": the output folder is "
                            + (input == inputs[0] ? "the input model" : "an input (" + input + ")") + "; choose another");
                }
            }
            if (Files.isDirectory(outDir) && !Files.exists(outDir.resolve(reportFile))) {
                try (var entries = Files.list(outDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new InvalidInputException(outDir + ": the output folder exists, is not empty and "
                                + "is not an earlier Lasermesh output; choose another or remove it");
                    }
                }
            }
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot prepare the output folder (" + e.getMessage() + ")", e);
        }
    }
}
