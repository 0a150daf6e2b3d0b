package dev.lasermesh.gateway.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a job's output model folder (config, weights, tokenizer, {@code lasermesh-report.json}).
 *
 * @param folder the folder, relative to the artifact store
 * @param files  its files by name, with their sizes
 */
public record OutputListing(String folder, List<Entry> files) {

    /**
     * One file.
     *
     * @param name  its path inside the folder
     * @param bytes its size
     */
    public record Entry(String name, long bytes) {
    }

    /** Lists {@code folder} (relative to {@code artifacts}) recursively, by name. */
    public static OutputListing of(Path artifacts, String folder) {
        Path root = artifacts.resolve(folder);
        try (Stream<Path> walk = Files.walk(root)) {
            List<Entry> files = walk.filter(Files::isRegularFile)
                    .map(p -> new Entry(root.relativize(p).toString(), size(p)))
                    .sorted(Comparator.comparing(Entry::name)).toList();
            return new OutputListing(folder, files);
        } catch (IOException e) {
            throw new UncheckedIOException("output folder " + root + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("output file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
