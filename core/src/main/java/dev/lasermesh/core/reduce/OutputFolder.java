package dev.lasermesh.core.reduce;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.tensor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The output folder of a reduced model, written all or nothing and never overlapping an input.
 *
 * <p>{@link #claim} checks the folder before any work: not a file or below one; by real paths neither
 * containing nor inside any input (so {@code reduce OUT1/model.safetensors --out OUT1} cannot rewrite
 * its own input); absent, empty, or already Lasermesh's. Files are then written into a staging folder
 * inside it ({@value #STAGING}) and {@link #commit} moves them into place, the report last, so a folder
 * with a report is a complete output. {@link #abandon} removes what a failed write left. A write that
 * was killed leaves the staging folder (or, from earlier versions, a temporary file of {@link
 * AtomicFiles}); both are recognisably Lasermesh's, so the next claim accepts the folder and clears them.
 */
public final class OutputFolder {

    /** The staging folder's name inside the output folder. */
    static final String STAGING = ".lasermesh-partial";

    private final Path folder;
    private final boolean existed;

    private OutputFolder(Path folder, boolean existed) {
        this.folder = folder;
        this.existed = existed;
    }

    /**
     * Checks {@code folder} as the output of a command reading {@code inputs}; creates nothing.
     *
     * @throws InvalidInputException naming the folder when it is a file or below one, contains or is
     *                               inside an input, or is a non-empty folder that is not Lasermesh's
     */
    public static OutputFolder claim(Path folder, Collection<Path> inputs) {
        Path real = realPathOf(folder);
        for (Path input : inputs) {
            Path realInput = realPathIfExists(input);
            if (realInput == null) {
                continue;
            }
            if (realInput.equals(real)) {
                throw new InvalidInputException(folder + ": the output folder is the input " + input
                        + "; choose another");
            }
            if (realInput.startsWith(real)) {
                throw new InvalidInputException(folder + ": the output folder contains the input " + input
                        + ", which writing would overwrite; choose a folder outside it");
            }
            if (real.startsWith(realInput)) {
                throw new InvalidInputException(folder + ": the output folder is inside the input " + input
                        + "; choose a folder outside it");
            }
        }
        boolean existed = Files.isDirectory(folder);
        if (existed && !acceptable(folder)) {
            throw new InvalidInputException(folder + ": the output folder exists, is not empty and is not an "
                    + "earlier Lasermesh output; choose another or remove it");
        }
        return new OutputFolder(folder, existed);
    }

    /**
     * Writes an output folder all or nothing: claims {@code folder} for a command reading {@code inputs},
     * lets {@code writer} write every file into the staging folder it is given, and commits them with
     * {@code lastFile} (the report) last; when the writer fails, what was there before is left.
     *
     * @return what the writer returned
     * @throws InvalidInputException as {@link #claim} does, or as the writer does
     */
    public static <T> T writeAllOrNothing(Path folder, Collection<Path> inputs, String lastFile,
                                          Function<Path, T> writer) {
        OutputFolder output = claim(folder, inputs);
        Path staging = output.stage();
        try {
            T result = writer.apply(staging);
            output.commit(lastFile);
            return result;
        } catch (RuntimeException | Error e) {
            try {
                output.abandon();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The folder the output ends up in. */
    public Path folder() {
        return folder;
    }

    /**
     * Creates the output folder when absent and an empty staging folder in it, removing what an
     * interrupted earlier write left; returns the staging folder, where every file is to be written.
     *
     * @throws InvalidInputException naming the folder when it cannot be created (e.g. permissions)
     */
    public Path stage() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new InvalidInputException(folder + ": cannot create the output folder (" + reason(e) + ")", e);
        }
        try {
            for (Path leftover : leftovers(folder)) {
                deleteRecursively(leftover);
            }
            return Files.createDirectory(folder.resolve(STAGING));
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot prepare the output folder (" + reason(e) + ")", e);
        }
    }

    /**
     * Makes the output folder hold exactly the staged files: the report of an earlier output goes
     * first (a folder without a report is not a complete output), then every staged file or folder is
     * moved into place, replacing one of the same name, whatever else an earlier output left is
     * removed (its stale rank map, shards or code of another form), and {@code lastFile} (the report)
     * comes last; the staging folder is removed.
     */
    public void commit(String lastFile) {
        Path staging = folder.resolve(STAGING);
        try {
            Files.deleteIfExists(folder.resolve(lastFile));
            Set<String> staged = new HashSet<>();
            try (Stream<Path> files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    staged.add(file.getFileName().toString());
                }
            }
            for (String name : staged.stream().filter(n -> !n.equals(lastFile)).sorted().toList()) {
                replace(staging.resolve(name), folder.resolve(name));
            }
            try (Stream<Path> entries = Files.list(folder)) {
                for (Path stale : entries.filter(p -> !staged.contains(p.getFileName().toString())
                        && !p.equals(staging)).toList()) {
                    deleteRecursively(stale);
                }
            }
            if (staged.contains(lastFile)) {
                replace(staging.resolve(lastFile), folder.resolve(lastFile));
            }
            Files.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot move the output into place (" + reason(e) + ")", e);
        }
    }

    /** Moves a staged file or folder to {@code to}, replacing what is there (a folder as a whole). */
    private static void replace(Path from, Path to) throws IOException {
        if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
            deleteRecursively(to);
        }
        move(from, to);
    }

    /**
     * Removes the staging folder and, when the output folder did not exist before and is now empty,
     * the output folder: what a failed write leaves is what was there before.
     */
    public void abandon() {
        try {
            deleteRecursively(folder.resolve(STAGING));
            if (!existed) {
                Files.deleteIfExists(folder);
            }
        } catch (DirectoryNotEmptyException e) {
            // someone else put a file there meanwhile: theirs, so the folder stays
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot remove the unfinished output (" + reason(e) + ")", e);
        }
    }

    /** Empty apart from leftovers of ours, an earlier output (it has the report), or an interrupted write. */
    private static boolean acceptable(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> all = entries.toList();
            List<Path> leftovers = leftovers(folder);
            return all.stream().allMatch(leftovers::contains)
                    || Files.isRegularFile(folder.resolve(ReducedModelWriter.REPORT_FILE))
                    || Files.isDirectory(folder.resolve(STAGING));
        } catch (IOException e) {
            throw new InvalidInputException(folder + ": cannot list the output folder (" + reason(e) + ")", e);
        }
    }

    private static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> p.getFileName().toString().equals(STAGING) && Files.isDirectory(p)
                    || AtomicFiles.isLeftoverTemp(p)).toList();
        }
    }

    /**
     * The real path {@code folder} has or would have: the real path of its nearest existing ancestor
     * with the missing names appended.
     */
    private static Path realPathOf(Path folder) {
        Path absolute = folder.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            missing.addFirst(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute.normalize();
        }
        if (!Files.isDirectory(existing)) {
            throw new InvalidInputException(folder + (existing.equals(absolute) ? ": exists and is not a folder"
                    : ": cannot be a folder, as " + existing + " is a file") + "; choose another output folder");
        }
        Path real = realPathIfExists(existing);
        for (Path name : missing) {
            real = real.resolve(name);
        }
        return real.normalize();
    }

    private static Path realPathIfExists(Path path) {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot be resolved (" + reason(e) + ")", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(path)) {
                for (Path entry : entries.toList()) {
                    deleteRecursively(entry);
                }
            }
        }
        Files.delete(path);
    }

    private static String reason(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
