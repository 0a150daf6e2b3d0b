package dev.lasermesh.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.OutboxEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.testkit.KafkaBroker;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The REST API against a real PostgreSQL and a real Kafka broker: every bad request is a 400 naming the
 * field and leaves no row behind; mutating requests need the API key; a good job is stored with its
 * analysis tasks, which reach the broker through the outbox.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class JobApiTest {

    static final String KEY = "dev";

    KafkaBroker broker;

    private static long rows() {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.count() + MatrixEntity.count() + TaskEntity.count()
                + OutboxEntity.count());
    }

    private static ValidatableResponse post(String body) {
        return given().header(ApiKeyFilter.HEADER, KEY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs").then();
    }

    private static void assertRejected(String body, String field, String errorPart) {
        long before = rows();
        ValidatableResponse response = post(body).statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString(errorPart));
        if (field == null) {
            response.body("field", nullValue());
        } else {
            response.body("field", equalTo(field));
        }
        assertEquals(before, rows(), "a rejected job leaves no row behind: " + body);
    }

    @Test
    void anUnknownPolicyIsRejectedNamingPolicy() {
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"policy\": {\"policy\": \"magic\"}}", "policy",
                "unknown rank policy \"magic\"");
    }

    @Test
    void aBadCalibratedJobIsRejectedNamingTheField() {
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"method\": \"whitened\"}", "calibration",
                "needs a calibration text");
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"method\": \"feature\", "
                + "\"calibration\": {\"text\": \"sotu-2009-2021.txt\", \"tokens\": 1}}", "calibration.text",
                "calibration text");
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"method\": \"whitened\", "
                + "\"calibration\": {\"text\": \"sotu-2009-2021.txt\"}, \"evaluation\": {\"texts\": "
                + "[\"sotu-2009-2021.txt\"], \"maxTokens\": 1024}, \"study\": {\"kind\": \"quantization\"}}",
                "method", "does not combine with a study");
    }

    @Test
    void aMissingModelIsRejectedNamingModel() {
        assertRejected("{\"version\": 1}", "model", "model is required");
        assertRejected("{\"version\": 1, \"model\": \"no-such-model\"}", "model", "does not exist");
    }

    @Test
    void aModelOutsideTheRootsIsRejected() {
        assertRejected("{\"version\": 1, \"model\": \"../../etc\"}", "model", "outside the configured model roots");
        assertRejected("{\"version\": 1, \"model\": \"/etc\"}", "model", "outside the configured model roots");
    }

    @Test
    void malformedJsonIsRejectedNamingWhereItBroke() {
        assertRejected("{\"version\": 1, \"model\": ", "model", "malformed JSON at line 1");
        assertRejected("not json", null, "malformed JSON");
        assertRejected("", null, "empty document");
    }

    @Test
    void aNegativeOrZeroWindowIsRejectedNamingEvaluationWindow() {
        String job = "{\"version\": 1, \"model\": \"tiny-llama\", \"strategy\": {\"strategy\": \"laserrmt-greedy\"},"
                + " \"evaluation\": {\"texts\": [\"sotu-2009-2021.txt\"], \"window\": %d}}";
        assertRejected(job.formatted(-4), "evaluation.window", "window must be at least 2 tokens, got -4");
        assertRejected(job.formatted(0), "evaluation.window", "got 0");
    }

    @Test
    void wrongTypesAndUnknownFieldsAreRejectedNamingThem() {
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"windw\": 64}", "windw", "unknown field \"windw\"");
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"strategy\": {\"strategy\": \"snr-greedy\"},"
                + " \"evaluation\": {\"texts\": [\"sotu-2009-2021.txt\"], \"window\": \"big\"}}", "evaluation.window",
                "must be an integer");
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"evaluation\": {\"texts\": [\"../tiny-llama/config.json\"]}}",
                "evaluation.texts[0]", "outside the configured data roots");
    }

    /** An encoder job's task folder (DESIGN §7.1) resolves inside the data roots like a text, named evaluation.task. */
    @Test
    void aTaskFolderOutsideTheDataRootsOrForADecoderIsRejectedNamingEvaluationTask() {
        assertRejected("{\"version\": 1, \"model\": \"minilm\", \"strategy\": {\"strategy\": \"laserrmt-greedy\"},"
                + " \"evaluation\": {\"task\": \"../minilm/task\"}}", "evaluation.task", "outside the configured data roots");
        assertRejected("{\"version\": 1, \"model\": \"minilm\", \"evaluation\": {\"task\": \"no-such-task\"}}",
                "evaluation.task", "does not exist");
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"evaluation\": {\"task\": \"no-such-task\"}}",
                "evaluation.task", "scores encoders");
    }

    @Test
    void aGridWhoseSplitsWouldBeEmptyIsRejected() {
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"matrices\": {\"layers\": \"5\", \"modules\": \"q\"},"
                + " \"strategy\": {\"strategy\": \"laser-grid\", \"rhos\": [0.1]},"
                + " \"evaluation\": {\"texts\": [\"sotu-2009-2021.txt\"], \"maxTokens\": 300}}",
                "strategy.validationFraction", "each needs at least one");
    }

    @Test
    void mutatingRequestsNeedTheApiKey() {
        long before = rows();
        given().contentType(ContentType.JSON).body("{\"version\": 1, \"model\": \"tiny-llama\"}").post("/api/v1/jobs")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", containsString("X-API-Key"));
        given().header(ApiKeyFilter.HEADER, "not-the-key").contentType(ContentType.JSON)
                .body("{\"version\": 1, \"model\": \"tiny-llama\"}").post("/api/v1/jobs")
                .then().statusCode(401).body("error", containsString("does not hold the API key"));
        given().post("/api/v1/jobs/j-0000000000000000/cancel").then().statusCode(401);
        assertEquals(before, rows());
        given().get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void aJobIsStoredWithItsAnalysisTasksWhichReachTheBroker() {
        String body = "{\"version\": 1, \"model\": \"tiny-llama\", \"matrices\": {\"layers\": \"5\", \"modules\": \"q,k\"}}";
        String id = post(body).statusCode(201).header("Location", containsString("/api/v1/jobs/j-"))
                .body("status", equalTo("ANALYZING"))
                .body("spec.model", equalTo(dev.lasermesh.gateway.Fixtures.path("tiny-llama").toString()))
                .body("spec.strategy.strategy", equalTo("one-shot"))
                .body("progress.analysis.total", equalTo(2))
                .body("timings.submitted", startsWith("20"))
                .extract().path("id");
        given().get("/api/v1/jobs").then().statusCode(200).body("id", hasItem(id));
        given().get("/api/v1/jobs/" + id + "/matrices").then().statusCode(200)
                .body("matrix.tensor", equalTo(List.of("model.layers.5.self_attn.q_proj.weight",
                        "model.layers.5.self_attn.k_proj.weight")))
                .body("spectrum", equalTo(java.util.Arrays.asList(null, null)));
        given().get("/api/v1/jobs/" + id + "/candidates").then().statusCode(200).body("size()", equalTo(0));
        given().get("/api/v1/jobs/" + id + "/report").then().statusCode(409).body("error", containsString("ANALYZING"));

        Map<String, AnalysisTask> published = consume(Topics.ANALYSIS_TASKS, id, 2);
        assertEquals(Set.of(id + "/analysis/model.layers.5.self_attn.q_proj.weight",
                id + "/analysis/model.layers.5.self_attn.k_proj.weight"), published.keySet(),
                "records keyed by task id");
        published.forEach((key, task) -> assertEquals(key, task.taskId()));

        given().header(ApiKeyFilter.HEADER, KEY).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("timings.finished", startsWith("20"));
        given().header(ApiKeyFilter.HEADER, KEY).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409)
                .body("error", containsString("already ended"));
    }

    @Test
    void unknownJobsAreNotFound() {
        given().get("/api/v1/jobs/j-ffffffffffffffff").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("no job j-ffffffffffffffff"));
        given().header(ApiKeyFilter.HEADER, KEY).post("/api/v1/jobs/j-ffffffffffffffff/cancel").then().statusCode(404);
        given().get("/api/v1/jobs/j-ffffffffffffffff/events").then().statusCode(404)
                .body("error", equalTo("no job j-ffffffffffffffff"));
        given().get("/api/v1/jobs/j-ffffffffffffffff/matrices").then().statusCode(404);
    }

    @Test
    void healthOpenApiAndMetricsAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/jobs/{id}/candidates"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("lasermesh_jobs"));
    }

    /** A NUL byte in a path parameter never reaches the database: 400 naming the parameter, on every endpoint. */
    @Test
    void aNulInAJobIdOrTensorIsABadRequestEverywhere() {
        String job = "/api/v1/jobs/x%00";
        for (String path : List.of(job, job + "/candidates", job + "/compression", job + "/report", job + "/output",
                job + "/events", job + "/matrices", job + "/matrices/model.layers.0.mlp.up_proj.weight",
                job + "/matrices/model.layers.0.mlp.up_proj.weight/spectrum")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(400).contentType(ContentType.JSON)
                    .body("field", equalTo("id")).body("error", containsString("NUL"));
        }
        given().urlEncodingEnabled(false).header(ApiKeyFilter.HEADER, KEY).post(job + "/cancel").then().statusCode(400)
                .body("field", equalTo("id"));
        given().urlEncodingEnabled(false).get("/api/v1/jobs/j-ffffffffffffffff/matrices/x%00y").then().statusCode(400)
                .body("field", equalTo("tensor"));
    }

    @Test
    void theBodyNullIsRejectedNamingTheBody() {
        assertRejected("null", null, "the body is null");
    }

    @Test
    void badQueryParametersAreRejectedNamingThem() {
        for (String[] bad : new String[][] {{"status", "BOGUS"}, {"limit", "abc"}, {"limit", "0"}, {"limit", "5000"}}) {
            given().queryParam(bad[0], bad[1]).get("/api/v1/jobs").then().statusCode(400).contentType(ContentType.JSON)
                    .body("field", equalTo(bad[0])).body("error", containsString(bad[0] + " must be"));
        }
        given().queryParam("status", "cancelled").queryParam("limit", "3").get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void bareNaNOrInfinityNamesItsFieldWithoutTheParsersAdvice() {
        for (String token : List.of("NaN", "Infinity")) {
            String body = "{\"version\": 1, \"model\": \"tiny-llama\", \"strategy\": {\"strategy\": \"snr-greedy\"},"
                    + " \"evaluation\": {\"texts\": [\"sotu-2009-2021.txt\"], \"window\": " + token + "}}";
            assertRejected(body, "evaluation.window", "bare " + token + " is not a JSON value");
            post(body).body("error", not(containsString("JsonReadFeature")));
        }
    }

    /** Sizes are bounded: an oversize field is refused naming it, an oversize document as a whole, before parsing. */
    @Test
    void oversizeValuesAndDocumentsAreRejectedEarly() {
        assertRejected("{\"version\": 1, \"model\": \"tiny-llama\", \"matrices\": {\"layers\": \""
                + "0,".repeat(5000) + "0\"}}", "matrices.layers", "10001 characters long; at most 512");
        String huge = "x".repeat(9 * 1024 * 1024);
        String error = post("{\"version\": 1, \"model\": \"" + huge + "\"}").statusCode(400)
                .body("field", nullValue()).body("error", containsString("at most 65536")).extract().path("error");
        assertTrue(error.length() < 200, error);
    }

    /** A long value comes back quoted shortened, not whole. */
    @Test
    void errorsQuoteLongValuesShortened() {
        String error = post("{\"version\": 1, \"model\": \"" + "m".repeat(1000) + "\"}").statusCode(400)
                .body("field", equalTo("model")).extract().path("error");
        assertTrue(error.length() < 200 && error.contains("(1000 characters)"), error);
        error = post("{\"version\": 1, \"model\": \"tiny-llama\", \"policy\": {\"policy\": \"" + "p".repeat(60)
                + "\"}, \"nope" + "n".repeat(40_000) + "\": 1}").statusCode(400).extract().path("error");
        assertTrue(error.length() < 300, error);
    }

    /** Reads the task topic from the start until {@code count} records of the job arrived. */
    private Map<String, AnalysisTask> consume(String topic, String jobId, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "job-api-test-" + jobId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, AnalysisTask> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    AnalysisTask task = Json.read(r.value(), AnalysisTask.class);
                    if (task.jobId().equals(jobId)) {
                        records.put(r.key(), task);
                    }
                }
            }
        }
        assertTrue(records.size() >= count, "records of job " + jobId + " on " + topic + ": " + records.keySet()
                .stream().collect(Collectors.joining(", ")));
        return records;
    }
}
