package dev.lasermesh.gateway.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The models and texts a job may name, as the submit form offers them: paths relative to the configured
 * roots (the way a job spec names them). A model is a folder with a {@code config.json}; a text is a
 * {@code .txt} file. Roots are searched {@value #DEPTH} levels deep ({@code org/model} layouts).
 *
 * @param models model folders, sorted
 * @param texts  text files, sorted
 */
public record InputCatalog(List<String> models, List<String> texts) {

    static final int DEPTH = 2;

    /** Scans the roots; a root that does not exist contributes nothing. */
    public static InputCatalog scan(List<Path> modelRoots, List<Path> dataRoots) {
        return new InputCatalog(
                find(modelRoots, p -> Files.isDirectory(p) && Files.isRegularFile(p.resolve("config.json"))),
                find(dataRoots, p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt")));
    }

    private static List<String> find(List<Path> roots, Predicate<Path> wanted) {
        TreeSet<String> found = new TreeSet<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, DEPTH)) {
                walk.filter(p -> !p.equals(root)).filter(wanted).forEach(p -> found.add(root.relativize(p).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("root " + root + " cannot be listed: " + e.getMessage(), e);
            }
        }
        return List.copyOf(found);
    }
}
