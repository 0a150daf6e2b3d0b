package dev.lasermesh.cli.serve;

import io.quarkus.runtime.Quarkus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the Quarkus application of {@code lasermesh serve} — the gateway and the three workers, whose beans come
 * from their jars — in this JVM until it is stopped (Ctrl-C, SIGTERM), then stops the database under it.
 *
 * <p>Order at shutdown: the database must outlive the application, whose last transactions and connection pool
 * need it. Quarkus stops the application in its own shutdown hook; this class's hook waits until
 * {@link Quarkus#run} has returned here before it stops PostgreSQL, and the JVM exits only when both hooks are done.
 */
public final class Server {

    /** How long the database waits for the application to stop before it is stopped anyway. */
    private static final long APPLICATION_STOP_SECONDS = 120;

    private Server() {
    }

    /**
     * Starts the application configured by {@code settings} on {@code database} and returns its exit code when it
     * has stopped, with the database stopped too.
     */
    public static int run(ServerSettings settings, EmbeddedDatabase database) {
        settings.apply();
        CountDownLatch applicationStopped = new CountDownLatch(1);
        Thread stopDatabase = new Thread(() -> {
            try {
                applicationStopped.await(APPLICATION_STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            database.close();
        }, "lasermesh-stop-postgres");
        Runtime.getRuntime().addShutdownHook(stopDatabase);
        AtomicInteger exitCode = new AtomicInteger();
        try {
            Quarkus.run(null, (code, failure) -> {
                exitCode.set(code);
                if (failure != null) {
                    System.err.println("lasermesh serve: the application failed to start");
                    failure.printStackTrace();
                }
            });
        } finally {
            applicationStopped.countDown();
        }
        database.close();
        return exitCode.get();
    }
}
