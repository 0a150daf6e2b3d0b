package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bounded load on the gateway over the loopback interface: {@value #JOBS} submissions of small jobs
 * and then {@value #READS} status reads while they run, from {@value #CLIENTS} concurrent clients each
 * with its own connections. Every request must be answered without error, every job must end
 * {@code SUCCEEDED} within {@link #JOBS_TIMEOUT}, and the job list must hold each of them exactly once.
 * Latency percentiles go to the test output and {@code target/load-report.txt} (not asserted).
 *
 * <p>The jobs are one-shot laserRMT reductions of one matrix without evaluation (an analysis, a
 * reduction and the assembly of an output model each) on {@code stories260K}, the 1 MB model of the
 * fixtures: 200 outputs of tiny-llama would write 4 GB to the artifact store for no extra coverage.
 */
@ExtendWith(MeshExtension.class)
class LoadIT {

    static final int JOBS = 200;
    static final int READS = 2000;
    static final int CLIENTS = 16;
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
    static final Duration JOBS_TIMEOUT = Duration.ofMinutes(5);
    private static final String REPORT = "load-report.txt";
    private static final String SPEC = """
            {"version": 1, "model": "stories260K", "matrices": {"layers": "0", "modules": "q"},
             "strategy": {"strategy": "one-shot"}}""";

    private final Mesh mesh;

    LoadIT(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void manySmallJobsAndReadsFromConcurrentClients() {
        try (GatewayClient lister = mesh.client()) {
            Set<String> listedBefore = lister.jobs().stream().map(JobView::id).collect(Collectors.toSet());
            long storedBefore = TaskRows.tableSizes(mesh).get("jobs");
            Latencies submits = new Latencies();
            Latencies reads = new Latencies();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            List<String> ids = Collections.synchronizedList(new ArrayList<>());

            long start = System.nanoTime();
            concurrently(JOBS, (client, i) -> {
                long sent = System.nanoTime();
                HttpResponse<String> answer = client.submit(SPEC);
                submits.add(System.nanoTime() - sent);
                if (answer.statusCode() == 201) {
                    ids.add(GatewayClient.createdId(answer));
                } else {
                    errors.add("submission " + i + ": " + answer.statusCode() + " " + answer.body());
                }
            });
            double submitSeconds = (System.nanoTime() - start) / 1e9;
            List<String> created = List.copyOf(ids);
            assertEquals(List.of(), errors, "failed submissions");
            assertEquals(JOBS, created.size(), "jobs created");
            assertEquals(JOBS, new HashSet<>(created).size(), "job ids are not unique");

            long readStart = System.nanoTime();
            concurrently(READS, (client, i) -> {
                String id = created.get(i % created.size());
                long sent = System.nanoTime();
                HttpResponse<String> answer = client.get("/api/v1/jobs/" + id);
                reads.add(System.nanoTime() - sent);
                if (answer.statusCode() != 200 || !Json.read(answer.body(), JobView.class).id().equals(id)) {
                    errors.add("read of " + id + ": " + answer.statusCode() + " " + answer.body());
                }
            });
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            assertEquals(List.of(), errors, "failed reads");

            Map<JobStatus, Long> ended = awaitAllEnded(lister, Set.copyOf(created));
            double allEndedSeconds = (System.nanoTime() - start) / 1e9;
            report(submits, reads, submitSeconds, readSeconds, allEndedSeconds, ended);
            assertEquals(Map.of(JobStatus.SUCCEEDED, (long) JOBS), ended, "how the jobs ended");

            List<String> listed = lister.jobs().stream().map(JobView::id).filter(id -> !listedBefore.contains(id)).toList();
            assertEquals(JOBS, listed.size(), "new jobs in the job list (a job listed twice, or one lost)");
            assertEquals(Set.copyOf(created), Set.copyOf(listed), "the job list holds exactly the submitted jobs");
            assertEquals(storedBefore + JOBS, TaskRows.tableSizes(mesh).get("jobs"), "jobs in the store");
        }
    }

    /** Polls the job list until every job in {@code ids} has ended; returns how many ended in each status. */
    private static Map<JobStatus, Long> awaitAllEnded(GatewayClient client, Set<String> ids) {
        long deadline = System.nanoTime() + JOBS_TIMEOUT.toNanos();
        while (true) {
            List<JobView> ours = client.jobs().stream().filter(j -> ids.contains(j.id())).toList();
            long running = ours.stream().filter(j -> !j.status().terminal()).count();
            if (running == 0 && ours.size() == ids.size()) {
                return ours.stream().collect(Collectors.groupingBy(JobView::status, Collectors.counting()));
            }
            assertTrue(System.nanoTime() < deadline, running + " of " + ids.size() + " jobs still running after "
                    + JOBS_TIMEOUT.toMinutes() + " min (" + ours.size() + " listed)");
            Pause.of(Duration.ofSeconds(1));
        }
    }

    /** Runs {@code work} for 0..count-1 on {@value #CLIENTS} threads, each with its own client. */
    private void concurrently(int count, Request work) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    try (GatewayClient client = mesh.client()) {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            work.send(client, i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("a client failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(Latencies submits, Latencies reads, double submitSeconds, double readSeconds,
                               double allEndedSeconds, Map<JobStatus, Long> ended) {
        Function<Double, String> f = s -> String.format(Locale.ROOT, "%.1f s", s);
        Reports.begin(REPORT, "Load on the gateway over loopback: " + JOBS + " one-shot jobs (stories260K, layer 0 q) "
                + "and " + READS + " status reads from " + CLIENTS + " concurrent java.net.http clients; "
                + Runtime.getRuntime().availableProcessors() + " processors shared with the whole mesh.");
        Reports.line(REPORT, "submit (POST /api/v1/jobs):    " + submits.summary() + ", all in " + f.apply(submitSeconds));
        Reports.line(REPORT, "read   (GET /api/v1/jobs/{id}): " + reads.summary() + ", all in " + f.apply(readSeconds));
        Reports.line(REPORT, "all " + JOBS + " jobs ended " + ended + " " + f.apply(allEndedSeconds)
                + " after the first submission");
    }

    /** One request of a load phase. */
    @FunctionalInterface
    private interface Request {
        void send(GatewayClient client, int index);
    }
}
