package dev.lasermesh.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.testkit.KafkaBroker;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.TopicClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The evaluator service against a real Kafka broker (testkit): an evaluation task for a shard of
 * tiny-llama's windows in, its partial sums out keyed by task id; a task whose overlay is missing
 * failed with the reason; a message that is no task dead-lettered while the consumer keeps serving;
 * readiness and metrics over HTTP.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class EvaluatorServiceIT {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(90);

    KafkaBroker broker;

    @TestHTTPResource("/q")
    URI management;

    private static EvaluationTask task(String job, String request, List<Overlay> overlays) {
        WindowShard shard = new WindowShard(0, 8);
        return new EvaluationTask(ContractVersion.CURRENT, job, TaskIds.evaluation(job, request, shard), request,
                FIXTURES.resolve("tiny-llama").toString(), overlays, new EvaluationSpec(
                List.of(FIXTURES.resolve("text/sotu-2009-2021.txt").toString()), "laserrmt", 128, 128, 8192), shard);
    }

    @Test
    void scoresShardsFromKafkaAndKeepsServingAfterJunkAndBadTasks() throws Exception {
        String job = "it-" + UUID.randomUUID();
        EvaluationTask base = task(job, "base", List.of());
        String layer = "model.layers.5.mlp.down_proj.weight";
        EvaluationTask missingOverlay = task(job, "candidate", List.of(new Overlay(layer, List.of(new TensorRef(
                "jobs/" + job + "/reduced/none.safetensors", layer, DType.F32, List.of(256L, 704L), "a".repeat(64))))));
        try (TopicClient kafka = new TopicClient(broker.bootstrapServers())) {
            kafka.send(Topics.EVALUATION_TASKS, base.taskId(), "[]");
            kafka.send(Topics.EVALUATION_TASKS, base.taskId(), Json.write(base));
            kafka.send(Topics.EVALUATION_TASKS, missingOverlay.taskId(), Json.write(missingOverlay));

            EvaluationResult result = Json.read(kafka.await(Topics.EVALUATION_RESULTS,
                    r -> base.taskId().equals(r.key()), WAIT).value(), EvaluationResult.class);
            assertTrue(result.succeeded(), () -> result.failure().reason());
            assertEquals(8, result.output().sums().windows());
            assertEquals(8 * 127, result.output().sums().tokens());
            assertEquals(64, result.output().totalWindows());

            EvaluationResult failed = Json.read(kafka.await(Topics.EVALUATION_RESULTS,
                    r -> missingOverlay.taskId().equals(r.key()), WAIT).value(), EvaluationResult.class);
            assertFalse(failed.succeeded());
            assertTrue(failed.failure().reason().contains("none.safetensors"), failed.failure().reason());

            kafka.await(Topics.EVALUATION_TASKS + ".dlq", r -> "[]".equals(r.value()), WAIT);
        }
        String ready = get("/health/ready");
        assertTrue(ready.contains("\"status\": \"UP\"") && ready.contains("evaluation-tasks"), ready);
        String metrics = get("/metrics");
        assertTrue(metrics.contains("lasermesh_tasks_total{outcome=\"failed\",stage=\"evaluation\"} 1.0"), metrics);
        Matcher rate = Pattern.compile("(?m)^lasermesh_eval_tokens_per_second (\\S+)$").matcher(metrics);
        assertTrue(rate.find(), metrics);
        assertTrue(Double.parseDouble(rate.group(1)) > 0, rate.group());
    }

    private String get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(management + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
