package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder job (DESIGN §7.1) through the embedded mesh of {@code lasermesh serve}: laserRMT's greedy
 * search on all-MiniLM-L6-v2 by train-LOO {@code knn-accuracy} on the fixture's task, restricted to
 * layer 5's six matrices, evaluators embedding shards of the examples and the gateway classifying the
 * merged embeddings. Layer 5's candidates are the first six of {@code minilm/search-reference.json}'s
 * trace, so the served trace (candidates, ranks, train-LOO values, decisions — a tie rejected) and the
 * train-LOO and test counts before, and the train-LOO count after, equal the reference exactly (counts
 * of 400 examples); the report's search and evaluation equal those {@code lasermesh run --task --layers 5}
 * writes (core's {@code TaskSearch}). The whole 18-candidate trace is core's {@code MiniLmTaskSearchTest}.
 * Bad task folders are refused with 400 naming {@code evaluation.task}.
 */
class EncoderServeIT {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A hang guard for the job and the standalone run (about a minute each normally), not a time bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(30);
    /** The layer searched: the reference trace starts with its six candidates. */
    private static final int LAYER = 5;
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "attention.self.query", "q", "attention.self.key", "k", "attention.self.value", "v",
            "attention.output.dense", "o", "intermediate.dense", "up", "output.dense", "down");

    private final ServeClient client = new ServeClient(JSON, HANG_GUARD);

    @TempDir
    Path temp;

    @Test
    void anEncoderJobReproducesTheReferenceSearchAndTheStandaloneReport() throws Exception {
        Path bad = Files.createDirectories(temp.resolve("tasks"));
        Path runOut = temp.resolve("run");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> LasermeshCli.run("run",
                FIXTURES.resolve("minilm").toString(), "--task", FIXTURES.resolve("minilm/task").toString(),
                "--strategy", "laserrmt-greedy", "--layers", String.valueOf(LAYER), "--out", runOut.toString()));
        String[] roots = {"--data-dir", temp.resolve("data").toString(), "--model-root", FIXTURES.toString(),
                "--data-root", FIXTURES.resolve("minilm").toString(), "--data-root", bad.toString()};
        try (ServeProcess serve = ServeProcess.start(temp.resolve("serve.log"), roots)) {
            assertBadTasksRefused(serve, bad);
            HttpResponse<String> created = client.post(serve.uri("/api/v1/jobs"), """
                    {"version": 1, "model": "minilm", "matrices": {"layers": "%d"},
                     "strategy": {"strategy": "laserrmt-greedy"}, "evaluation": {"task": "task"}}""".formatted(LAYER));
            assertEquals(201, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).get("id").asText();
            JsonNode job = client.awaitEnd(serve.uri("/api/v1/jobs/" + id));
            assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
            JsonNode served = JSON.readTree(client.get(serve.uri("/api/v1/jobs/" + id + "/report")).body());
            assertMatchesReference(served);
            assertEquals(0, run.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "lasermesh run --task");
            JsonNode standalone = JSON.readTree(runOut.resolve(ReducedModelWriter.REPORT_FILE).toFile());
            assertEquals(standalone.get("search"), served.get("search"), "the search, against lasermesh run --task");
            assertEquals(withoutTask(standalone.get("perplexity")), withoutTask(served.get("perplexity")),
                    "the evaluation, against lasermesh run --task");
            serve.stop();
        }
    }

    /**
     * Trace, train-LOO and test numbers of the report against search-reference.json (float32): the
     * reference's layer-5 candidates, which open its trace, and the train-LOO count of the last one
     * accepted among them.
     */
    private static void assertMatchesReference(JsonNode report) throws IOException {
        JsonNode reference = JSON.readTree(FIXTURES.resolve("minilm/search-reference.json").toFile()).get("float32");
        JsonNode trace = report.get("search").get("trace");
        JsonNode expected = reference.get("trace");
        int afterCorrect = reference.get("base_train_loo_correct").asInt();
        int decided = 0;
        while (decided < expected.size() && expected.get(decided).get("layer").asInt() == LAYER) {
            decided++;
        }
        assertEquals(6, decided, "search-reference.json opens with layer " + LAYER + "'s six candidates");
        assertEquals(decided, trace.size(), "candidates decided");
        for (int i = 0; i < decided; i++) {
            JsonNode want = expected.get(i);
            JsonNode got = trace.get(i);
            String where = "candidate " + (i + 1) + " against search-reference.json";
            assertEquals(want.get("layer").asInt(), got.get("layer").asInt(), where);
            assertEquals(SHORT_NAMES.get(want.get("module").asText()), got.get("module").asText(), where);
            assertEquals(want.get("k").asInt(), got.get("rank").asInt(), where);
            assertEquals(want.get("train_loo_correct").asInt() / 400.0, got.get("perplexity").asDouble(), where);
            assertEquals(want.get("accepted").asBoolean(), got.get("accepted").asBoolean(), where);
            if (want.get("accepted").asBoolean()) {
                afterCorrect = want.get("train_loo_correct").asInt();
            }
        }
        JsonNode evaluation = report.get("perplexity");
        assertEquals("knn-accuracy", evaluation.get("metric").asText());
        assertEquals("train-loo", evaluation.get("search_split").asText());
        assertEquals(reference.get("base_train_loo_correct").asInt() / 400.0, evaluation.get("before").asDouble());
        assertEquals(afterCorrect / 400.0, evaluation.get("after").asDouble());
        assertEquals(reference.get("base_test_correct").asInt(), evaluation.get("test_before").get("correct").asInt());
        assertEquals(400, evaluation.get("test_after").get("examples").asInt());
    }

    /** A missing label, an empty split, a label only in test: 400 naming evaluation.task and the file. */
    private void assertBadTasksRefused(ServeProcess serve, Path root) throws IOException, InterruptedException {
        String line = "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \"y\"}\n";
        Map<String, String[]> folders = Map.of(
                "no-label", new String[] {line + "{\"text\": \"c\"}\n", line, "train.jsonl line 3"},
                "empty-split", new String[] {line, "", "test.jsonl: the split is empty"},
                "test-only-label", new String[] {line, "{\"text\": \"c\", \"label\": \"z\"}\n", "test.jsonl line 1"});
        for (Map.Entry<String, String[]> folder : folders.entrySet()) {
            Path task = Files.createDirectories(root.resolve(folder.getKey()));
            Files.writeString(task.resolve("train.jsonl"), folder.getValue()[0]);
            Files.writeString(task.resolve("test.jsonl"), folder.getValue()[1]);
            HttpResponse<String> refused = client.post(serve.uri("/api/v1/jobs"), """
                    {"version": 1, "model": "minilm", "strategy": {"strategy": "laserrmt-greedy"},
                     "evaluation": {"task": "%s"}}""".formatted(folder.getKey()));
            assertEquals(400, refused.statusCode(), folder.getKey() + ": " + refused.body());
            JsonNode error = JSON.readTree(refused.body());
            assertEquals("evaluation.task", error.get("field").asText(), folder.getKey() + ": " + refused.body());
            assertTrue(error.get("error").asText().contains(folder.getValue()[2]),
                    folder.getKey() + ": " + refused.body());
        }
    }

    private static JsonNode withoutTask(JsonNode evaluation) {
        ObjectNode copy = evaluation.deepCopy();
        copy.remove("task");
        return copy;
    }
}
