package dev.lasermesh.meshit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the mesh as a JVM of its own, started from its packaged Quarkus app
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}) with its configuration as system properties,
 * as an operator would run it. The test can stop it (SIGTERM, Quarkus shuts down gracefully), crash it
 * (SIGKILL, as a lost machine would) and start it again on the same HTTP port with the same settings.
 *
 * <p>Everything the process prints goes to its log file (appended across restarts, each start marked),
 * whose tail {@link #logTail} gives for failure messages.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 60;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path app;
    private final int port;
    private final String heap;
    private final Map<String, String> properties;
    private final Path log;
    private Process process;

    /**
     * @param name       how tests and messages call it (also its log file's name)
     * @param app        the {@code quarkus-run.jar} to start
     * @param port       its HTTP port (health, metrics, the gateway's API); kept across restarts
     * @param heap       its maximum heap, e.g. {@code 512m}
     * @param properties its configuration, passed as {@code -Dkey=value}
     * @param logDir     the folder of its log file
     */
    ServiceProcess(String name, Path app, int port, String heap, Map<String, String> properties, Path logDir) {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(name + ": " + app + " does not exist; package the services first "
                    + "(./mvnw package -DskipTests, or verify from the root, which builds them before mesh-it)");
        }
        this.name = name;
        this.app = app;
        this.port = port;
        this.heap = heap;
        this.properties = Map.copyOf(properties);
        this.log = logDir.resolve(name + ".log");
    }

    String name() {
        return name;
    }

    /** Launches the JVM; returns at once (see {@link #awaitReady()}). */
    synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.writeString(log, "==== mesh-it: starting " + name + " ====\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + app, e);
        }
    }

    /** Starts it and waits until {@code /q/health/ready} answers 200. */
    void startAndAwaitReady() {
        start();
        awaitReady();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @throws IllegalStateException if the process exits or is not ready in time, with its log's tail
     */
    void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!isRunning()) {
                throw new IllegalStateException(name + " exited while starting" + exitDescription() + logTail());
            }
            if (ready()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT.toSeconds() + " s" + logTail());
            }
            Pause.of(PROBE_INTERVAL);
        }
    }

    /** Whether {@code /q/health/ready} answers 200 now. */
    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + name, e);
        }
    }

    /** The body of a GET of {@code path} on this service (e.g. {@code /q/metrics}). */
    String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(name + ": GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + path + " of " + name, e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Shuts it down gracefully (SIGTERM) and waits for the exit. */
    synchronized void stop() {
        if (isRunning()) {
            process.destroy();
            awaitExit();
        }
    }

    /** Crashes it (SIGKILL): no shutdown hook runs, nothing is flushed or committed. */
    synchronized void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** Stops it if it runs (see {@link #stop()}). */
    @Override
    public void close() {
        stop();
    }

    /** The last lines of its log, as a suffix for messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n---- last lines of " + log + " ----\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "\n(log " + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    private String exitDescription() {
        return process == null || process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(app.toString());
        return command;
    }
}
