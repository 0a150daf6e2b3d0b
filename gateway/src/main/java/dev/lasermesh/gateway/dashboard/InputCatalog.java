package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.gateway.config.InputRoots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The models and texts a job may name, as the submit form offers them: paths relative to the configured
 * roots (the way a job spec names them). A model is a folder with a {@code config.json}; a text is a
 * {@code .txt} file. Roots are searched {@value #DEPTH} levels deep ({@code org/model} layouts). Only what
 * the job-spec validator accepts is offered: a folder or text that is a link out of the roots, or a model
 * whose files are, is left out.
 *
 * @param models model folders, sorted
 * @param texts  text files, sorted
 */
public record InputCatalog(List<String> models, List<String> texts) {

    static final int DEPTH = 2;

    /** Scans the roots. */
    public static InputCatalog scan(InputRoots roots, JobSpecValidator validator) {
        return new InputCatalog(
                find(roots.models(), p -> Files.isRegularFile(p.resolve(ModelSource.CONFIG_FILE)),
                        accepted(validator::modelFolder)),
                find(roots.data(), p -> p.getFileName().toString().endsWith(".txt"),
                        accepted(name -> validator.textFile(name, "text"))));
    }

    private static Predicate<String> accepted(Consumer<String> check) {
        return name -> {
            try {
                check.accept(name);
                return true;
            } catch (ContractException e) {
                return false;
            }
        };
    }

    private static List<String> find(PathRoots roots, Predicate<Path> looksRight, Predicate<String> accepted) {
        TreeSet<String> found = new TreeSet<>();
        for (Path root : roots.folders()) {
            try (Stream<Path> walk = Files.walk(root, DEPTH)) {
                walk.filter(p -> !p.equals(root)).filter(looksRight).map(p -> root.relativize(p).toString())
                        .filter(accepted).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException("root " + root + " cannot be listed: " + e.getMessage(), e);
            }
        }
        return List.copyOf(found);
    }
}
