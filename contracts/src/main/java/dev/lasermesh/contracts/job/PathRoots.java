package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folders a job may read from (model roots, data roots). A path a user gives is accepted only if it
 * lies inside a root twice over: as written ({@code ..} collapsed), before anything is looked up, so
 * that no answer tells whether a file outside the roots exists; and as its real path, with symbolic
 * links followed, so that a link inside a root that points elsewhere does not get out (DESIGN §5).
 */
final class PathRoots {

    /** A root as configured (absolute, normalised) and as its real path. */
    private record Root(Path configured, Path real) {

        boolean holds(Path path) {
            return path.startsWith(configured) || path.startsWith(real);
        }
    }

    private final String kind;
    private final List<Root> roots;

    /**
     * @param kind  what the roots hold, for messages ({@code model}, {@code data})
     * @param roots existing folders
     * @throws IllegalArgumentException when there is no root or a root is not a folder (a configuration error)
     */
    PathRoots(String kind, List<Path> roots) {
        this.kind = kind;
        List<Root> checked = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(kind + " root " + root + " is not a folder");
            }
            try {
                checked.add(new Root(root.toAbsolutePath().normalize(), root.toRealPath()));
            } catch (IOException e) {
                throw new UncheckedIOException(kind + " root " + root + " cannot be resolved", e);
            }
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("no " + kind + " roots configured");
        }
        this.roots = List.copyOf(checked);
    }

    /**
     * The real path of an existing file or folder under the roots: {@code given} absolute, or relative
     * to the first root in which it exists.
     *
     * @param field the job-spec field it came from
     * @throws ContractException naming {@code field} when {@code given} is empty, lies outside every
     *                           root (as written or once links are followed), or does not exist
     */
    Path resolve(String given, String field) {
        if (given == null || given.isBlank()) {
            throw new ContractException(field + " is required: a path under the configured " + kind + " roots", field);
        }
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw new ContractException(field + " \"" + given + "\" is not a valid path", field);
        }
        List<Path> candidates = path.isAbsolute() ? List.of(path.normalize())
                : roots.stream().map(r -> r.configured().resolve(path).normalize()).toList();
        for (Path candidate : candidates) {
            requireInside(candidate, given, field);
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return requireInside(realPath(candidate, given, field), given, field);
            }
        }
        throw new ContractException(field + " \"" + given + "\" does not exist under the configured " + kind
                + " roots", field);
    }

    private Path requireInside(Path path, String given, String field) {
        if (roots.stream().noneMatch(r -> r.holds(path))) {
            throw new ContractException(field + " \"" + given + "\" is outside the configured " + kind + " roots",
                    field);
        }
        return path;
    }

    private static Path realPath(Path candidate, String given, String field) {
        try {
            return candidate.toRealPath();
        } catch (IOException e) {
            throw new ContractException(field + " \"" + given + "\" cannot be resolved: " + e.getMessage(), field);
        }
    }
}
