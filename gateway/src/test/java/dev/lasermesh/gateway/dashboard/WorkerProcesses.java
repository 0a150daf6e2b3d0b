package dev.lasermesh.gateway.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three worker services (analyzer, reducer, evaluator) run as their own processes from the jars their
 * modules build ({@code <module>/target/quarkus-app/quarkus-run.jar}), against the test's Kafka broker
 * and artifact store, with the repository's {@code models/} and {@code data/} as their roots (as the
 * gateway's, {@link DemoModelProfile}), one instance each. Their output goes to {@code target/e2e/<module>.log}.
 */
final class WorkerProcesses implements AutoCloseable {

    static final List<String> MODULES = List.of("analyzer-service", "reducer-service", "evaluator-service");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final List<Process> processes = new ArrayList<>();

    private WorkerProcesses() {
    }

    /**
     * Starts the workers and waits until each has logged that Quarkus started.
     *
     * @param repository the repository root (the modules are its folders)
     * @param bootstrap  the Kafka broker
     * @param artifacts  the artifact store, absolute
     * @param logs       the folder for their logs
     */
    static WorkerProcesses start(Path repository, String bootstrap, Path artifacts, Path logs)
            throws IOException, InterruptedException {
        WorkerProcesses workers = new WorkerProcesses();
        try {
            Files.createDirectories(logs);
            List<Path> logFiles = new ArrayList<>();
            for (String module : MODULES) {
                Path jar = repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: build the workers first (./mvnw -pl "
                            + String.join(",", MODULES) + " -am package -DskipTests, or ./mvnw verify)");
                }
                Path log = logs.resolve(module + ".log");
                String threads = "-Dlasermesh." + module.substring(0, module.indexOf('-')) + ".threads=1";
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx768m",
                        "-Dkafka.bootstrap.servers=" + bootstrap, "-Dlasermesh.artifacts=" + artifacts,
                        "-Dlasermesh.model-roots=" + repository.resolve("models"),
                        "-Dlasermesh.data-roots=" + repository.resolve("data"),
                        "-Dquarkus.http.port=0", threads, "-jar", jar.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("OPENBLAS_NUM_THREADS", "1");
                workers.processes.add(builder.start());
                logFiles.add(log);
            }
            for (int i = 0; i < MODULES.size(); i++) {
                awaitStarted(workers.processes.get(i), logFiles.get(i));
            }
            return workers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            workers.close();
            throw e;
        }
    }

    private static void awaitStarted(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(log).contains(" started in ")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with " + process.exitValue() + " before it started; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker did not start within " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /** Whether every worker process is still alive. */
    boolean running() {
        return processes.stream().allMatch(Process::isAlive);
    }

    /** Stops every worker: politely first (Quarkus shuts down on SIGTERM), then forcibly. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        try {
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(Process::destroyForcibly);
        }
    }
}
