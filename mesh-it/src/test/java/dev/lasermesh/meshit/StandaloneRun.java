package dev.lasermesh.meshit;

import dev.lasermesh.cli.LasermeshCli;
import java.nio.file.Path;

/**
 * One {@code lasermesh run} in this JVM — the standalone, the whole job in one process — whose output
 * folder is what the mesh must reproduce.
 *
 * @param output  the output model folder (with {@code lasermesh-report.json})
 * @param seconds wall-clock seconds of the run
 */
record StandaloneRun(Path output, double seconds) {

    /**
     * Runs {@code arguments} (a {@code run} command line) and returns its output folder.
     *
     * @throws AssertionError when the command does not exit with 0
     */
    static StandaloneRun of(Path output, String... arguments) {
        long start = System.nanoTime();
        int exit = LasermeshCli.run(arguments);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new AssertionError("lasermesh " + String.join(" ", arguments) + " exited with " + exit);
        }
        return new StandaloneRun(output, seconds);
    }
}
