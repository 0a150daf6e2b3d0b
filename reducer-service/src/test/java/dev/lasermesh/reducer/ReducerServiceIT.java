package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TensorDigests;
import dev.lasermesh.core.tensor.SafetensorsFile;
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
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The reducer service against a real Kafka broker (testkit): a reduction task in, the reduced tensor
 * in the artifact store and the result out keyed by task id; a message that is no task dead-lettered
 * while the consumer keeps serving; readiness and metrics over HTTP.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class ReducerServiceIT {

    private static final Path TINY_LLAMA = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .resolve("tiny-llama").toAbsolutePath().normalize();
    private static final MatrixId Q = new MatrixId("model.layers.2.self_attn.q_proj.weight", 2, "q");
    private static final Duration WAIT = Duration.ofSeconds(60);

    KafkaBroker broker;

    @ConfigProperty(name = "lasermesh.artifacts")
    Path artifacts;

    @TestHTTPResource("/q")
    URI management;

    @Test
    void reducesTasksFromKafkaIntoTheArtifactStoreAndKeepsServingAfterJunk() throws Exception {
        String job = "it-" + UUID.randomUUID();
        ReductionTask task = new ReductionTask(ContractVersion.CURRENT, job, TaskIds.reduction(job, Q.tensor(),
                OutputForm.DENSE, 58), TINY_LLAMA.toString(), Q, 58, OutputForm.DENSE,
                "jobs/" + job + "/reduced/" + Q.tensor() + ".dense-k58.safetensors");
        try (TopicClient kafka = new TopicClient(broker.bootstrapServers())) {
            kafka.send(Topics.REDUCTION_TASKS, task.taskId(), "{\"version\": 1}");
            kafka.send(Topics.REDUCTION_TASKS, task.taskId(), Json.write(task));
            ReductionResult result = Json.read(kafka.await(Topics.REDUCTION_RESULTS,
                    r -> task.taskId().equals(r.key()), WAIT).value(), ReductionResult.class);
            assertTrue(result.succeeded(), () -> result.failure().reason());
            assertEquals(58, result.output().rank());
            TensorRef ref = result.output().overlay().tensors().getFirst();
            try (SafetensorsFile file = SafetensorsFile.open(ref.file(artifacts))) {
                assertEquals(ref.sha256(), TensorDigests.sha256(file.bytes(Q.tensor())));
            }
            kafka.await(Topics.REDUCTION_TASKS + ".dlq", r -> "{\"version\": 1}".equals(r.value()), WAIT);
        }
        String ready = get("/health/ready");
        assertTrue(ready.contains("\"status\": \"UP\"") && ready.contains("reduction-tasks"), ready);
        String metrics = get("/metrics");
        assertTrue(metrics.contains("lasermesh_tasks_total{outcome=\"completed\",stage=\"reduction\"} 1.0"), metrics);
        assertTrue(metrics.contains("lasermesh_svd_seconds_count{stage=\"reduction\"} 2.0"), metrics);
        assertFalse(metrics.contains("outcome=\"failed\",stage=\"reduction\""), metrics);
    }

    private String get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(management + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
