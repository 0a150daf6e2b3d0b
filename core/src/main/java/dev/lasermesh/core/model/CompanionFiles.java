package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.JsonSyntax;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.ShardIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files of a model folder besides its tensor files, copied so that a reduced model loads as its
 * input did: {@code config.json}, tokenizer files, generation config, … and, for a
 * sentence-transformers folder, {@code modules.json}, {@code sentence_bert_config.json} and the
 * folders of the modules that {@code modules.json} lists ({@code 1_Pooling/}, {@code 2_Dense/}, …,
 * whole, their own weights included). Other subfolders (e.g. {@code original/} with a second copy
 * of the weights) are left out. Each file is written atomically.
 */
public final class CompanionFiles {

    /** sentence-transformers' list of the modules of a folder, each with its {@code path} inside it. */
    public static final String SENTENCE_TRANSFORMERS_MODULES = "modules.json";

    private CompanionFiles() {
    }

    /**
     * Copies the companion files of {@code modelFolder} into {@code outDir}.
     *
     * @throws InvalidInputException naming modules.json when it is malformed or a module path leaves the folder
     */
    public static void copy(Path modelFolder, Path outDir) {
        copy(modelFolder, outDir, file -> true);
    }

    /**
     * Copies the companion files of {@code modelFolder} that {@code include} accepts (a service copies
     * only files that lie where it may read); see {@link #copy(Path, Path)}.
     */
    public static void copy(Path modelFolder, Path outDir, Predicate<Path> include) {
        try {
            Files.createDirectories(outDir);
            try (Stream<Path> files = Files.list(modelFolder)) {
                for (Path file : files.filter(Files::isRegularFile).filter(include).toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".safetensors") && !name.equals(ShardIndex.FILE_NAME)) {
                        AtomicFiles.write(outDir.resolve(name), Files.readAllBytes(file));
                    }
                }
            }
            for (Path module : moduleFolders(modelFolder)) {
                copyTree(modelFolder.resolve(module), outDir.resolve(module), include);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(modelFolder + ": cannot copy companion files to " + outDir
                    + " (" + e.getMessage() + ")", e);
        }
    }

    /** The module folders modules.json names that exist (the Transformer module's path "" is the folder itself). */
    private static List<Path> moduleFolders(Path modelFolder) throws IOException {
        Path file = modelFolder.resolve(SENTENCE_TRANSFORMERS_MODULES);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode modules;
        try {
            modules = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + JsonSyntax.problem(e) + ")");
        }
        if (modules == null || !modules.isArray()) {
            throw new InvalidInputException(file + ": not a JSON array of modules");
        }
        List<Path> folders = new ArrayList<>();
        for (JsonNode module : modules) {
            JsonNode path = module.get("path");
            if (path == null || !path.isTextual()) {
                throw new InvalidInputException(file + ": a module has no \"path\" string");
            }
            Path relative = Path.of(path.asText()).normalize();
            if (relative.isAbsolute() || relative.startsWith("..")) {
                throw new InvalidInputException(file + ": module path \"" + path.asText()
                        + "\" leaves the model folder");
            }
            if (!relative.toString().isEmpty() && Files.isDirectory(modelFolder.resolve(relative))) {
                folders.add(relative);
            }
        }
        return folders;
    }

    private static void copyTree(Path from, Path to, Predicate<Path> include) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).filter(include).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, Files.readAllBytes(file));
            }
        }
    }
}
