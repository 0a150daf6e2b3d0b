package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.core.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check every service runs before it reads a model folder — the validator at submission; the
 * analyzer, the reducer, the evaluator and the gateway's output assembly when they open it: the folder
 * and each of its files that is part of the model ({@link ModelFiles}: config, tokenizer, weights, shard
 * index, ...) resolve inside the model roots ({@link PathRoots}). A folder whose {@code config.json},
 * weights or tokenizer is a link to a file elsewhere is refused as a whole. Other files are never read;
 * an output copies one only if it lies inside the roots too ({@link PathRoots#holds}).
 */
public final class ModelFolders {

    private ModelFolders() {
    }

    /**
     * The real path of {@code model}, once it and the model files of its folder are found inside
     * {@code modelRoots}. A model given as one weights file is checked with the files of its folder, whose
     * config applies to it.
     *
     * @param model the model folder, or a weights file
     * @param field the field the model came from ({@code model} in a job spec, {@code modelPath} in a task)
     * @throws ContractException naming {@code field} and the file that resolves outside the roots
     */
    public static Path requireInside(PathRoots modelRoots, Path model, String field) {
        Path real = modelRoots.requireInside(model, field + " " + model.getFileName(), field);
        Path folder = Files.isDirectory(real) ? real : real.getParent();
        for (Path file : files(folder, field)) {
            if (ModelFiles.partOfModel(file.getFileName().toString())) {
                modelRoots.requireInside(file, field + " " + folder.getFileName() + ": " + file.getFileName(), field);
            }
        }
        return real;
    }

    private static List<Path> files(Path folder, String field) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new ContractException(field + " " + folder.getFileName() + " cannot be listed: " + e.getMessage(),
                    field);
        }
    }
}
