package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lasermesh serve} as a user runs it — the packaged application, gateway and workers in one JVM on its
 * embedded PostgreSQL: a laserRMT greedy job submitted by REST ends with the report {@code lasermesh run} writes
 * for the same spec (same candidates, ranks and decisions, perplexities within 1e-6 relative), no Kafka client is
 * ever created, and after a restart on the same data folder the job is still there. The other commands of the
 * same jar start neither the Quarkus runtime nor PostgreSQL.
 *
 * <p>The job is kept small (tiny-llama's layers 0–1, 2048 tokens): 12 candidates, of which the first five that
 * improve perplexity are accepted and end the scan (the cap of laserRMT's greedy search).
 */
class ServeIT {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final double TOLERANCE = 1e-6;
    /** A hang guard for the job and the standalone run (under a minute each normally), not a time bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(30);
    /** What the Kafka client library logs whenever it creates a producer, a consumer or an admin client. */
    private static final List<String> KAFKA_CLIENT_LOGS = List.of("ProducerConfig values", "ConsumerConfig values",
            "AdminClientConfig values");

    private final ServeClient client = new ServeClient(JSON, HANG_GUARD);

    @TempDir
    Path temp;

    @Test
    void aJobSubmittedByRestReportsWhatRunReportsAndOutlivesARestart() throws Exception {
        Path data = temp.resolve("data");
        Path log = temp.resolve("serve.log");
        String[] roots = {"--data-dir", data.toString(), "--model-root", FIXTURES.toString(),
                "--data-root", FIXTURES.resolve("text").toString()};
        Path runOut = temp.resolve("run");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> LasermeshCli.run("run",
                FIXTURES.resolve("tiny-llama").toString(), "--layers", "0-1", "--strategy", "laserrmt-greedy",
                "--text", FIXTURES.resolve("text/sotu-2009-2021.txt").toString(), "--window", "128",
                "--max-tokens", "2048", "--out", runOut.toString()));
        String jobId;
        try (ServeProcess serve = ServeProcess.start(log, roots)) {
            HttpResponse<String> created = client.post(serve.uri("/api/v1/jobs"), """
                    {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0-1"},
                     "strategy": {"strategy": "laserrmt-greedy"},
                     "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 2048}}""");
            assertEquals(201, created.statusCode(), created.body());
            jobId = JSON.readTree(created.body()).get("id").asText();
            JsonNode job = client.awaitEnd(serve.uri("/api/v1/jobs/" + jobId));
            assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
            JsonNode served = JSON.readTree(client.get(serve.uri("/api/v1/jobs/" + jobId + "/report")).body());
            assertEquals(0, run.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "lasermesh run");
            assertSameSearch(JSON.readTree(runOut.resolve(ReducedModelWriter.REPORT_FILE).toFile()), served);
            serve.stop();
        }
        assertTrue(Files.readString(log).contains("lasermesh stopped in"), "the application shut down cleanly");
        assertFalse(Files.exists(data.resolve("postgres/postmaster.pid")),
                "PostgreSQL was stopped after the application (it removes postmaster.pid when it shuts down cleanly)");
        try (ServeProcess again = ServeProcess.start(log, roots)) {
            JsonNode jobs = JSON.readTree(client.get(again.uri("/api/v1/jobs")).body());
            List<String> listed = new ArrayList<>();
            jobs.forEach(j -> listed.add(j.get("id").asText() + " " + j.get("status").asText()));
            assertEquals(List.of(jobId + " SUCCEEDED"), listed);
            assertEquals(200, client.get(again.uri("/api/v1/jobs/" + jobId + "/report")).statusCode());
        }
        String console = Files.readString(log);
        for (String kafka : KAFKA_CLIENT_LOGS) {
            assertFalse(console.contains(kafka), "a Kafka client was created (\"" + kafka + "\" in the log)");
        }
    }

    @Test
    void analyzeStartsNeitherQuarkusNorPostgres() throws Exception {
        Path tmp = Files.createDirectory(temp.resolve("tmp"));
        Path out = temp.resolve("analyze.json");
        Path err = temp.resolve("analyze.err");
        Process analyze = PackagedCli.command(List.of("-Djava.io.tmpdir=" + tmp), "analyze",
                        FIXTURES.resolve("tiny-llama").toString(), "--layers", "5", "--format", "json")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(analyze.waitFor(2, TimeUnit.MINUTES), "analyze did not finish in 2 minutes");
        assertEquals(0, analyze.exitValue(), Files.readString(err));
        assertEquals(7, JSON.readTree(out.toFile()).get("matrices").size(), "the JSON report alone is on stdout");
        String console = Files.readString(err);
        assertFalse(console.contains("Quarkus"), "the Quarkus runtime started:\n" + console);
        assertFalse(Files.exists(tmp.resolve("embedded-pg")), "PostgreSQL's binaries were unpacked");
    }

    /** The two reports describe the same search: candidates, ranks, decisions, perplexities; the same matrices kept. */
    private static void assertSameSearch(JsonNode expected, JsonNode actual) {
        JsonNode want = expected.get("search");
        JsonNode got = actual.get("search");
        assertClose(want.get("baseline_perplexity").asDouble(), got.get("baseline_perplexity").asDouble(), "baseline");
        assertClose(want.get("final_perplexity").asDouble(), got.get("final_perplexity").asDouble(), "final");
        assertEquals(want.get("trace").size(), got.get("trace").size(), "candidates evaluated");
        for (int i = 0; i < want.get("trace").size(); i++) {
            JsonNode w = want.get("trace").get(i);
            JsonNode g = got.get("trace").get(i);
            String where = "candidate " + (i + 1) + " " + w.get("matrix").asText();
            assertEquals(w.get("matrix").asText(), g.get("matrix").asText(), where);
            assertEquals(w.get("rank").asInt(), g.get("rank").asInt(), where);
            assertEquals(w.get("accepted").asBoolean(), g.get("accepted").asBoolean(), where);
            assertClose(w.get("perplexity").asDouble(), g.get("perplexity").asDouble(), where);
        }
        assertEquals(matrixRanks(want.get("accepted")), matrixRanks(got.get("accepted")), "accepted candidates");
        List<String> keptExpected = new ArrayList<>();
        expected.get("matrices").forEach(m -> keptExpected.add(m.get("analysis").get("name").asText() + "="
                + m.get("analysis").get("rank").asInt()));
        List<String> keptActual = new ArrayList<>();
        actual.get("matrices").forEach(m -> keptActual.add(m.get("analysis").get("name").asText() + "="
                + m.get("analysis").get("rank").asInt()));
        assertEquals(keptExpected, keptActual, "matrices replaced in the output model");
    }

    private static List<String> matrixRanks(JsonNode candidates) {
        List<String> list = new ArrayList<>();
        candidates.forEach(c -> list.add(c.get("matrix").asText() + "=" + c.get("rank").asInt()));
        return list;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (relative tolerance " + TOLERANCE + ")");
    }
}
