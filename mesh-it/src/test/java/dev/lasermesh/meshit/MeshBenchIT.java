package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh where it pays (issue 13 item 4), a benchmark run on demand, never in the default build: the
 * same one-shot job — every matrix analysed, reduced to 10% of its rank (LASER's ρ = 0.1), a dense output
 * written, no evaluation — on a cut of the Mistral-7B-shaped synthetic model ({@code lasermesh bench
 * synthetic-model --layers N}) and on the demo model {@code tiny-llama}, through the standalone
 * ({@code lasermesh reduce} in this JVM) and through the mesh with 1 analyzer + 1 reducer and with 2 + 2
 * (separate JVMs, real Kafka and PostgreSQL). For each mesh job it reports the stage walls and, per task,
 * the work and the Kafka/PostgreSQL overhead ({@link StageCosts}); from the one-worker job it models the
 * wall time and throughput of the whole 32-layer model and of the demo model on 1–32 worker machines
 * ({@link ThroughputModel}). Numbers go to {@code target/mesh-bench.txt} with the load average; nothing
 * about speed is asserted, only that every job succeeded.
 *
 * <pre>
 *   ./lasermesh bench synthetic-model --out /tmp/mistral-7b-1l --layers 1
 *   ./mvnw -B -pl mesh-it -am verify -Dit.test=MeshBenchIT -Dmesh.bench.model=/tmp/mistral-7b-1l -Dtest=none \
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dquarkus.http.test-port=0
 * </pre>
 * {@code -Dmesh.bench.workers=1,2} chooses the meshes (default both), {@code -Dmesh.bench.standalone=false}
 * skips the standalone runs.
 */
@EnabledIfSystemProperty(named = MeshBenchIT.MODEL_PROPERTY, matches = ".+",
        disabledReason = "a benchmark, run on demand with -Dmesh.bench.model=DIR (a folder written by "
                + "lasermesh bench synthetic-model --layers N)")
class MeshBenchIT {

    static final String MODEL_PROPERTY = "mesh.bench.model";
    private static final String REPORT = "mesh-bench.txt";
    private static final String DEMO = "tiny-llama";
    private static final int DEMO_JOBS = 3;
    private static final int WHOLE_LAYERS = 32;
    private static final List<Integer> MACHINES = List.of(1, 2, 4, 8, 16, 32);
    /** A hang guard for one benchmarked job (minutes per layer of the 7B shape); it bounds no speed. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(90);
    /** Heap of each analyzer and reducer: a 14336×4096 matrix is 470 MB in float64, its SVD several of it. */
    private static final String WORKER_HEAP = "3g";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void oneShotJobThroughTheStandaloneAndMeshesOfOneAndTwoWorkers() throws IOException {
        Path model = Path.of(System.getProperty(MODEL_PROPERTY)).toRealPath();
        int layers = JSON.readTree(model.resolve("config.json").toFile()).path("num_hidden_layers").asInt();
        SyntheticModel whole = SyntheticModel.mistral7B(DType.BF16, 1);
        double assemblyScale = checkedAssemblyScale(model, whole, layers);
        Path fixtures = Path.of(System.getProperty("lasermesh.fixtures", System.getProperty("mesh.project.root", "..")
                + "/../shared/fixtures")).toRealPath();
        Reports.begin(REPORT, String.format(Locale.ROOT, "Mesh benchmark: one-shot job (every matrix analysed and "
                + "reduced to 10%% of its rank, dense output, no evaluation) on %s (%d of the Mistral-7B shape's %d "
                + "layers, %d matrices) and on %s; %d processors; load %s", model.getFileName(), layers, WHOLE_LAYERS,
                7 * layers, DEMO, Runtime.getRuntime().availableProcessors(), load()));

        StandaloneStages standalone = null;
        StandaloneStages standaloneDemo = null;
        if (Boolean.parseBoolean(System.getProperty("mesh.bench.standalone", "true"))) {
            for (int i = 1; i <= DEMO_JOBS; i++) {
                standaloneDemo = standaloneReduce(fixtures.resolve(DEMO), "standalone-demo-" + i);
            }
            standalone = standaloneReduce(model, "standalone");
            line("standalone reduce %s: %.1f s wall = analysis %.1f s + truncation and writing %.1f s (load %s)",
                    model.getFileName(), standalone.wallSeconds(), standalone.analysisSeconds(),
                    standalone.writeSeconds(), load());
            line("standalone reduce %s (last of %d): %.3f s wall = analysis %.3f s + truncation and writing %.3f s "
                    + "(load %s)", DEMO, DEMO_JOBS, standaloneDemo.wallSeconds(), standaloneDemo.analysisSeconds(),
                    standaloneDemo.writeSeconds(), load());
        }

        for (int workers : workerCounts()) {
            MeshShape shape = new MeshShape(workers, workers, 0,
                    Math.max(1, Runtime.getRuntime().availableProcessors() / workers), WORKER_HEAP,
                    List.of(model.getParent()));
            try (Mesh mesh = Mesh.start(shape)) {
                String title = workers + " analyzer(s) + " + workers + " reducer(s), " + shape.blasThreads()
                        + " OpenBLAS thread(s) each";
                JobTimeline demo = null;
                for (int i = 1; i <= DEMO_JOBS; i++) {
                    demo = runJob(mesh, DEMO);
                }
                report("mesh " + title + ", " + DEMO + " (last of " + DEMO_JOBS + ")", demo);
                JobTimeline big = runJob(mesh, model.getFileName().toString());
                report("mesh " + title + ", " + model.getFileName(), big);
                if (workers == 1) {
                    model("the whole Mistral-7B shape (" + WHOLE_LAYERS + " layers, " + 7 * WHOLE_LAYERS
                            + " matrices), from the " + layers + "-layer job's tasks ×" + WHOLE_LAYERS / layers
                            + ", assembly ×" + String.format(Locale.ROOT, "%.2f", assemblyScale),
                            ThroughputModel.of(big, WHOLE_LAYERS / layers, assemblyScale), big,
                            standalone == null ? Double.NaN : standalone.wallSeconds() * WHOLE_LAYERS / layers);
                    model(DEMO + " (6 layers, 42 matrices)", ThroughputModel.of(demo, 1, 1), demo,
                            standaloneDemo == null ? Double.NaN : standaloneDemo.wallSeconds());
                }
            }
        }
    }

    /**
     * Whole model's bytes / the cut's: the assembly copies or writes every tensor, so it scales with the
     * bytes; checks that {@code model} is the synthetic Mistral-7B shape cut to {@code layers} layers.
     */
    private static double checkedAssemblyScale(Path model, SyntheticModel whole, int layers) throws IOException {
        long cut = whole.withLayers(layers).dataBytes();
        long onDisk;
        try (Stream<Path> files = Files.list(model)) {
            onDisk = files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
        if (Math.abs(onDisk - cut) > cut / 100) {
            throw new IllegalArgumentException(MODEL_PROPERTY + " " + model + ": " + onDisk + " bytes of safetensors, "
                    + "not the " + cut + " of the Mistral-7B shape cut to " + layers + " layers; write it with "
                    + "lasermesh bench synthetic-model --layers " + layers);
        }
        return (double) whole.withLayers(WHOLE_LAYERS).dataBytes() / cut;
    }

    private static List<Integer> workerCounts() {
        return Arrays.stream(System.getProperty("mesh.bench.workers", "1,2").split(",")).map(String::strip)
                .map(Integer::valueOf).toList();
    }

    private StandaloneStages standaloneReduce(Path model, String name) throws IOException {
        Path out = temp.resolve(name);
        StandaloneRun run = StandaloneRun.of(out, "reduce", model.toString(), "--policy", "fraction", "--fraction",
                "0.1", "--out", out.toString());
        double analysis = 0;
        for (JsonNode m : JSON.readTree(out.resolve("lasermesh-report.json").toFile()).path("matrices")) {
            analysis += m.path("analysis").path("seconds").asDouble(Double.NaN);
        }
        Folders.deleteRecursively(out);
        return new StandaloneStages(run.seconds(), analysis);
    }

    private static JobTimeline runJob(Mesh mesh, String modelName) {
        String spec = """
                {"version": 1, "model": "%s", "policy": {"policy": "fraction", "fraction": 0.1},
                 "strategy": {"strategy": "one-shot"}, "output": "dense"}""".formatted(modelName);
        try (GatewayClient client = mesh.client()) {
            String id = GatewayClient.createdId(client.submit(spec));
            JobView end = client.awaitEnd(id, HANG_GUARD);
            assertEquals(JobStatus.SUCCEEDED, end.status(), () -> "job " + id + " ended " + end.status() + ": "
                    + end.errors() + mesh.logTails());
            Folders.deleteRecursively(mesh.artifacts().resolve(end.output()));
            return JobTimeline.read(mesh, id);
        }
    }

    private static void report(String title, JobTimeline job) {
        line("%s: %.2f s wall (load %s)", title, job.wallSeconds(), load());
        line("  planning %.3f s, assembly %.3f s", job.planningSeconds(), job.assemblySeconds());
        line("  %-10s %5s %7s %9s %9s %9s %9s %9s %9s %9s %10s %9s %5s", "stage", "tasks", "workers", "wall s",
                "Σwork s", "work/task", "outbox", "queue", "pickup", "return", "overhead", "gateway", "busy");
        for (StageCosts s : job.stages().values()) {
            line("  %-10s %5d %7d %9.2f %9.2f %9.3f %9.4f %9.3f %9.4f %9.4f %10.4f %9.4f %4.0f%%", s.type(), s.tasks(),
                    s.workers(), s.wallSeconds(), s.computeSum(), s.computeMean(), s.outboxMean(), s.queueMean(),
                    s.pickupMean(), s.returnMean(), s.overheadPerTask(), s.gatewayMean(), 100 * s.busy());
        }
    }

    private static void model(String what, ThroughputModel model, JobTimeline measured, double standaloneSeconds) {
        line("model of %s on N worker machines (each as this one running 1 analyzer + 1 reducer); serial part "
                + "%.2f s; the model at N = 1 for the measured job: %.2f s vs %.2f s measured", what,
                model.serialSeconds(), ThroughputModel.of(measured, 1, 1).seconds(1), measured.wallSeconds());
        line("  %3s %11s %10s %13s %14s", "N", "job s", "jobs/hour", "matrices/min", "vs standalone");
        int matrices = model.stages().getFirst().taskSeconds().size();
        for (int n : MACHINES) {
            double t = model.seconds(n);
            line("  %3d %11.2f %10.1f %13.1f %13.2fx", n, t, 3600 / t, 60 * matrices / t, standaloneSeconds / t);
        }
    }

    private static void line(String format, Object... args) {
        Reports.line(REPORT, String.format(Locale.ROOT, format, args));
    }

    /** The load averages of /proc/loadavg (1, 5, 15 min), the machine being shared. */
    private static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * The standalone's stages from its report.
     *
     * @param wallSeconds     the whole {@code reduce}
     * @param analysisSeconds Σ of the matrices' analysis seconds
     */
    private record StandaloneStages(double wallSeconds, double analysisSeconds) {

        double writeSeconds() {
            return wallSeconds - analysisSeconds;
        }
    }
}
