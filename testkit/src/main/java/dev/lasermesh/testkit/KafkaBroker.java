package dev.lasermesh.testkit;

import dev.lasermesh.testkit.broker.BrokerLauncher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker (the project's own {@code kafka.Kafka}, KRaft mode, broker and controller in one
 * node) running in a JVM of its own, for tests that need Kafka without Docker.
 *
 * <p>A separate process keeps the broker's classpath (Scala, its own Jackson, log4j) away from the application
 * under test and lets a test crash it for real: {@link #kill()} sends SIGKILL, {@link #restart()} brings it back
 * on the same ports with the same data, so records that were acknowledged before the crash are still there.
 *
 * <p>The broker's output goes to {@code broker.log} in its temporary folder; a broker that fails to start is
 * reported with the tail of that log. The process and the folder are removed by {@link #close()}, and by a JVM
 * shutdown hook if a test forgets; if the test JVM itself is killed, the broker notices that its standard input
 * closed and halts (see {@link BrokerLauncher}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final int LOG_TAIL_LINES = 40;
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.log.kafka=info");

    private final Path home;
    private final KraftConfig config;
    private final String classpath;
    private final Thread cleanupAtExit;
    private Process process;

    private KafkaBroker(Path home, KraftConfig config, String classpath) {
        this.home = home;
        this.config = config;
        this.classpath = classpath;
        this.cleanupAtExit = Thread.ofPlatform().unstarted(this::destroyAndDelete);
    }

    /**
     * Formats a fresh single-node cluster (random cluster id, free ports, a new temporary log folder) and starts
     * the broker; returns once it answers an Admin client's describeCluster.
     *
     * @throws IllegalStateException if the broker does not come up, with the tail of its log
     */
    public static KafkaBroker start() {
        Path home = TempDirs.create("lasermesh-kafka-");
        int[] ports = FreePorts.pick(2);
        KafkaBroker broker = new KafkaBroker(home, new KraftConfig(ports[0], ports[1], home.resolve("data")), BrokerClasspath.resolve());
        Runtime.getRuntime().addShutdownHook(broker.cleanupAtExit);
        try {
            broker.config.write(broker.serverProperties());
            broker.format();
            broker.launch();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** @return {@code host:port} of the broker's PLAINTEXT listener, for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return "127.0.0.1:" + config.brokerPort();
    }

    /** @return whether the broker process is alive */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Shuts the broker down cleanly (SIGTERM, controlled shutdown), keeping its data; nothing if it is not running. */
    public synchronized void stop() {
        if (isRunning()) {
            process.destroy();
            awaitExit(STOP_TIMEOUT);
        }
    }

    /** Crashes the broker with SIGKILL, as a machine or container failure would; its data folder stays. */
    public synchronized void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit(STOP_TIMEOUT);
        }
    }

    /** Stops the broker if it runs, then starts it again on the same ports and data and waits until it is ready. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the broker and deletes its temporary folder. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            destroyAndDelete();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
            } catch (IllegalStateException shutdownInProgress) {
                // The hook is running or about to run; it finds nothing left to do.
            }
        }
    }

    private void format() {
        List<String> command = javaCommand("kafka.tools.StorageTool", "format",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", serverProperties().toString());
        try {
            Process formatter = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            if (!formatter.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("Kafka StorageTool format did not finish within " + START_TIMEOUT.toSeconds() + " s" + logTail());
            }
            if (formatter.exitValue() != 0) {
                throw new IllegalStateException("Kafka StorageTool format exited with status " + formatter.exitValue() + logTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Kafka StorageTool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the Kafka log folder", e);
        }
    }

    private void launch() {
        List<String> command = javaCommand(BrokerLauncher.class.getName(), "kafka.Kafka", serverProperties().toString());
        try {
            // Standard input stays a pipe held by this JVM: the launcher halts the broker when it closes.
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
        }
        awaitReady();
    }

    private void awaitReady() {
        Properties adminConfig = new Properties();
        adminConfig.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        adminConfig.setProperty(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with status " + process.exitValue() + " while starting" + logTail());
                }
                if (answers(admin)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready after " + START_TIMEOUT.toSeconds() + " s" + logTail());
                }
            }
        }
    }

    private static boolean answers(Admin admin) {
        try {
            DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) READY_PROBE_TIMEOUT.toMillis());
            return !admin.describeCluster(options).nodes().get(READY_PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process.getOutputStream().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker to exit", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the pipe to the exited Kafka broker", e);
        }
    }

    private synchronized void destroyAndDelete() {
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
        }
        TempDirs.deleteRecursively(home);
    }

    private List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private Path serverProperties() {
        return home.resolve("server.properties");
    }

    private Path log() {
        return home.resolve("broker.log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return "; last lines of " + log() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "; its log " + log() + " cannot be read: " + e.getMessage();
        }
    }
}
