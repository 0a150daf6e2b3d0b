package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folders the mesh may read from (model roots, data roots), and the one rule every service applies
 * before it opens or copies a file: the file's real path, with symbolic links followed, lies inside a
 * root (DESIGN §5). A path a user gives is checked twice over: as written ({@code ..} collapsed), before
 * anything is looked up, so that no answer tells whether a file outside the roots exists; and as its real
 * path, so that a link inside a root that points elsewhere does not get out. A service that receives a
 * path in a task checks it again ({@link #requireInside}) when it opens the file: by then the file may
 * have become such a link.
 */
public final class PathRoots {

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
    public PathRoots(String kind, List<Path> roots) {
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

    /** The roots as configured (absolute, normalised), in order. */
    public List<Path> folders() {
        return roots.stream().map(Root::configured).toList();
    }

    /**
     * The real path of an existing file or folder under the roots: {@code given} absolute, or relative
     * to the first root in which it exists.
     *
     * @param field the job-spec field it came from
     * @throws ContractException naming {@code field} when {@code given} is empty, lies outside every
     *                           root (as written or once links are followed), or does not exist
     */
    public Path resolve(String given, String field) {
        if (given == null || given.isBlank()) {
            throw new ContractException(field + " is required: a path under the configured " + kind + " roots", field);
        }
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw new ContractException(field + " " + Quoted.of(given) + " is not a valid path", field);
        }
        List<Path> candidates = path.isAbsolute() ? List.of(path.normalize())
                : roots.stream().map(r -> r.configured().resolve(path).normalize()).toList();
        for (Path candidate : candidates) {
            if (!inside(candidate)) {
                throw outside(field + " " + Quoted.of(given), field);
            }
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return requireInside(candidate, field + " " + Quoted.of(given), field);
            }
        }
        throw new ContractException(field + " " + Quoted.of(given) + " does not exist under the configured " + kind
                + " roots", field);
    }

    /**
     * The real path of {@code path}, which must exist and resolve inside a root.
     *
     * @param what  the file as a message names it ({@code model "tiny-llama"}, {@code config.json of tiny-llama})
     * @param field the field the path came from
     * @throws ContractException naming {@code field} when the path cannot be resolved or resolves outside
     *                           every root
     */
    public Path requireInside(Path path, String what, String field) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new ContractException(what + " cannot be resolved: " + e.getMessage(), field);
        }
        if (!inside(real)) {
            throw outside(what, field);
        }
        return real;
    }

    /** Whether {@code path} exists and its real path lies inside a root. */
    public boolean holds(Path path) {
        try {
            return inside(path.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean inside(Path path) {
        return roots.stream().anyMatch(r -> r.holds(path));
    }

    private ContractException outside(String what, String field) {
        return new ContractException(what + " is outside the configured " + kind + " roots", field);
    }
}
