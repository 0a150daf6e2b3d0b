package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.contracts.job.JobView;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad submissions against the running gateway: each is answered 400 with an error body naming the
 * field at fault (for malformed JSON, the field where parsing broke; none for a document that is not
 * JSON at all), and nothing is created — the job list and every table of the job store (jobs,
 * matrices, tasks, evaluations, outbox) keep their rows.
 */
@ExtendWith(MeshExtension.class)
class BadRequestsIT {

    private final Mesh mesh;

    BadRequestsIT(Mesh mesh) {
        this.mesh = mesh;
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("unknown policy", """
                        {"version": 1, "model": "tiny-llama", "policy": {"policy": "rank-by-vibes"}}""", "policy"),
                Arguments.of("missing model", """
                        {"version": 1}""", "model"),
                Arguments.of("model that does not exist", """
                        {"version": 1, "model": "no-such-model"}""", "model"),
                Arguments.of("model outside the model roots", """
                        {"version": 1, "model": "../../etc"}""", "model"),
                Arguments.of("negative window", """
                        {"version": 1, "model": "tiny-llama", "strategy": {"strategy": "laserrmt-greedy"},
                         "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": -128}}""", "evaluation.window"),
                Arguments.of("malformed JSON value", """
                        {"version": 1, "model": tiny-llama}""", "model"),
                Arguments.of("not JSON at all", """
                        version=1, model=tiny-llama""", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecIsRefusedNamingTheFieldAndLeavesNothing(String what, String spec, String field) {
        try (GatewayClient client = mesh.client()) {
            List<String> jobsBefore = ids(client.jobs());
            Map<String, Long> rowsBefore = TaskRows.tableSizes(mesh);

            HttpResponse<String> answer = client.submit(spec);

            assertEquals(400, answer.statusCode(), what + ": " + answer.body());
            ErrorBody error = Json.read(answer.body(), ErrorBody.class);
            assertEquals(field, error.field(), what + ": field of " + answer.body());
            if (what.contains("JSON")) {
                assertTrue(error.error().contains("malformed JSON"), error.error());
            }
            assertEquals(jobsBefore, ids(client.jobs()), what + ": the job list changed");
            assertEquals(rowsBefore, TaskRows.tableSizes(mesh), what + ": rows were stored");
        }
    }

    @Test
    void submissionWithoutTheApiKeyIsRefusedAndLeavesNothing() {
        try (GatewayClient client = mesh.client()) {
            List<String> jobsBefore = ids(client.jobs());

            HttpResponse<String> answer = client.post("/api/v1/jobs", GreedyJob.SPEC, null);
            HttpResponse<String> wrongKey = client.post("/api/v1/jobs", GreedyJob.SPEC, "not-the-key");

            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals(401, wrongKey.statusCode(), wrongKey.body());
            assertTrue(Json.read(answer.body(), ErrorBody.class).error().contains("X-API-Key"), answer.body());
            assertEquals(jobsBefore, ids(client.jobs()), "the job list changed");
        }
    }

    private static List<String> ids(List<JobView> jobs) {
        return jobs.stream().map(JobView::id).toList();
    }
}
