package dev.lasermesh.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.core.spectrum.RankPolicySpec;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The analyzer service against a real Kafka broker (testkit): tasks in on {@code lasermesh.analysis-tasks},
 * results out on {@code lasermesh.analysis-results} keyed by task id, messages that are not tasks
 * dead-lettered without stopping the consumer, readiness and metrics over HTTP.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyzerServiceIT {

    private static final Path TINY_LLAMA = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .resolve("tiny-llama").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);

    KafkaBroker broker;

    @TestHTTPResource("/q")
    URI management;

    private static AnalysisTask task(String job, MatrixId matrix) {
        return new AnalysisTask(ContractVersion.CURRENT, job, TaskIds.analysis(job, matrix.tensor()),
                TINY_LLAMA.toString(), matrix, RankPolicySpec.named("laserrmt"));
    }

    /** Readiness follows the Kafka connection, not the traffic: a worker that got no task yet is ready. */
    @Test
    @Order(1)
    void isReadyWithTheBrokerUpBeforeAnyTask() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String ready = get("/health/ready");
        while (!ready.contains("\"status\": \"UP\"") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            ready = get("/health/ready");
        }
        assertTrue(ready.contains("\"status\": \"UP\"") && ready.contains("analysis-results"), ready);
    }

    @Test
    @Order(2)
    void analysesTasksFromKafkaAndKeepsServingAfterMessagesThatAreNoTasks() throws Exception {
        String job = "it-" + UUID.randomUUID();
        AnalysisTask down = task(job, new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down"));
        AnalysisTask missing = task(job, new MatrixId("model.layers.8.mlp.up_proj.weight", 8, "up"));
        String wrongVersion = Json.write(down).replace("\"version\":1", "\"version\":2");
        try (TopicClient kafka = new TopicClient(broker.bootstrapServers())) {
            kafka.send(Topics.ANALYSIS_TASKS, down.taskId(), "not json");
            kafka.send(Topics.ANALYSIS_TASKS, down.taskId(), wrongVersion);
            kafka.send(Topics.ANALYSIS_TASKS, down.taskId(), Json.write(down));
            kafka.send(Topics.ANALYSIS_TASKS, missing.taskId(), Json.write(missing));

            AnalysisResult result = Json.read(kafka.await(Topics.ANALYSIS_RESULTS,
                    r -> down.taskId().equals(r.key()), WAIT).value(), AnalysisResult.class);
            assertTrue(result.succeeded(), () -> result.failure().reason());
            assertEquals(89, result.output().spectrum().decision().k());

            AnalysisResult failed = Json.read(kafka.await(Topics.ANALYSIS_RESULTS,
                    r -> missing.taskId().equals(r.key()), WAIT).value(), AnalysisResult.class);
            assertFalse(failed.succeeded());
            assertTrue(failed.failure().reason().contains("model.layers.8.mlp.up_proj.weight"));

            ConsumerRecord<String, String> junk = kafka.await(Topics.ANALYSIS_TASKS + ".dlq",
                    r -> "not json".equals(r.value()), WAIT);
            assertTrue(reason(junk).contains("malformed JSON"), reason(junk));
            ConsumerRecord<String, String> newer = kafka.await(Topics.ANALYSIS_TASKS + ".dlq",
                    r -> wrongVersion.equals(r.value()), WAIT);
            assertTrue(reason(newer).contains("version 2"), reason(newer));
        }
        assertTrue(get("/health/ready").contains("\"status\": \"UP\""), get("/health/ready"));
        String metrics = get("/metrics");
        assertTrue(metrics.contains("lasermesh_tasks_total{outcome=\"completed\",stage=\"analysis\"}"), metrics);
        assertTrue(metrics.contains("lasermesh_tasks_total{outcome=\"unreadable\",stage=\"analysis\"} 2.0"), metrics);
        assertTrue(metrics.contains("lasermesh_svd_seconds_count{stage=\"analysis\"}"), metrics);
        assertTrue(metrics.contains("lasermesh_task_seconds_count{outcome=\"failed\",stage=\"analysis\"}"), metrics);
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader("lasermesh-reason").value(), StandardCharsets.UTF_8);
    }

    private String get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(management + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
