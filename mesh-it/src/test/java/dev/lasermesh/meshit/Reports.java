package dev.lasermesh.meshit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The measurement files of this module in {@code mesh-it/target} ({@code timings.txt},
 * {@code load-report.txt}): numbers for people, never asserted. Each line is also printed to the test
 * output.
 */
final class Reports {

    private Reports() {
    }

    /** Starts {@code file} afresh with {@code header}. */
    static void begin(String file, String header) {
        write(file, header, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Appends {@code line} to {@code file} (created if needed) and prints it. */
    static void line(String file, String line) {
        write(file, line, StandardOpenOption.APPEND);
    }

    private static void write(String file, String line, StandardOpenOption mode) {
        Path path = Path.of(System.getProperty("mesh.reports", "target")).resolve(file);
        System.out.println("[mesh-it " + file + "] " + line);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
