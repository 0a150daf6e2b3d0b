package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder job (DESIGN §7.1) on the real mesh (separate processes, real Kafka and PostgreSQL):
 * laserRMT's greedy search on all-MiniLM-L6-v2 by train-LOO {@code knn-accuracy} on the fixture's task,
 * restricted to layer 5's six matrices, the evaluators embedding shards of the examples, the gateway
 * merging them and classifying. The report's search and evaluation equal {@code lasermesh run --task
 * --layers 5}'s for the same job (core's {@code TaskSearch}), and its counts are those of
 * {@code minilm/search-reference.json}, whose trace opens with layer 5's six candidates: train-LOO
 * 302 → 307 (q and up accepted) and test 318 before, of 400. The whole trace is core's
 * {@code MiniLmTaskSearchTest}; the trace candidate by candidate through {@code serve} is
 * {@code EncoderServeIT}.
 */
@ExtendWith(MeshExtension.class)
class EncoderJobIT {

    /** A hang guard for the job (a few minutes normally), far above a slow shared machine; not a time bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            {"version": 1, "model": "minilm", "matrices": {"layers": "5"}, "strategy": {"strategy": "laserrmt-greedy"},
             "evaluation": {"task": "task"}}
            """;

    private final Mesh mesh;

    @TempDir
    Path temp;

    EncoderJobIT(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void anEncoderJobReportsWhatRunReportsAndTheReferenceCounts() throws IOException {
        Path out = temp.resolve("run");
        Path minilm = mesh.modelRoot().resolve("minilm");
        StandaloneRun standalone = StandaloneRun.of(out, "run", minilm.toString(), "--task",
                minilm.resolve("task").toString(), "--strategy", "laserrmt-greedy", "--layers", "5", "--out", out.toString());
        JsonNode expected = JSON.readTree(standalone.output().resolve("lasermesh-report.json").toFile());
        try (GatewayClient client = mesh.client()) {
            String id = GatewayClient.createdId(client.submit(SPEC));
            JobView end = client.awaitEnd(id, HANG_GUARD);
            assertEquals(JobStatus.SUCCEEDED, end.status(), () -> "job " + id + " ended " + end.status() + ": "
                    + end.errors());
            JsonNode report = JSON.readTree(client.report(id));
            assertEquals(Files.readString(mesh.artifacts().resolve(end.output()).resolve("lasermesh-report.json")),
                    client.report(id), "GET /api/v1/jobs/" + id + "/report against the report in the output folder");
            assertEquals(expected.get("search"), report.get("search"), "the search, against lasermesh run --task");
            assertEquals(withoutTask(expected.get("perplexity")), withoutTask(report.get("perplexity")),
                    "the evaluation, against lasermesh run --task");
            JsonNode reference = JSON.readTree(mesh.modelRoot().resolve("minilm/search-reference.json").toFile())
                    .get("float32");
            JsonNode evaluation = report.get("perplexity");
            JsonNode layerFive = reference.get("trace");
            JsonNode trace = report.get("search").get("trace");
            assertEquals(6, trace.size(), "candidates decided: layer 5's six");
            for (int i = 0; i < trace.size(); i++) {
                assertEquals(layerFive.get(i).get("train_loo_correct").asInt() / 400.0,
                        trace.get(i).get("perplexity").asDouble(), "candidate " + (i + 1) + " against search-reference.json");
            }
            assertEquals(reference.get("base_train_loo_correct").asInt() / 400.0, evaluation.get("before").asDouble());
            assertEquals(layerFive.get(4).get("train_loo_correct").asInt() / 400.0, evaluation.get("after").asDouble(),
                    "after accepting layer 5's q and up");
            assertEquals(reference.get("base_test_correct").asInt(), evaluation.get("test_before").get("correct").asInt());
        }
    }

    private static JsonNode withoutTask(JsonNode evaluation) {
        ObjectNode copy = evaluation.deepCopy();
        copy.remove("task");
        return copy;
    }
}
