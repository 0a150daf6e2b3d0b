package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mesh jobs reproduce the independent traces of {@code tiny-llama/search-reference.json} (PyTorch,
 * float64 forward; laserRMT window 128 on the first 8192 tokens of the SOTU text): the same candidates
 * in the same order with the same ranks and decisions, perplexities within 1e-5 relative. The job runs
 * through the orchestrator with results computed by core ({@link CoreWorkers}), shards of two per
 * request, two requests in flight, results in shuffled order.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class SearchReferenceIT {

    private static final double TOLERANCE = 1e-5;

    @Inject
    Orchestrator orchestrator;
    @Inject
    JobPlanner planner;
    @Inject
    JobStore store;
    @Inject
    JobViews views;
    @Inject
    GatewayConfig config;

    @ParameterizedTest
    @CsvSource({"laserrmt_greedy, laserrmt-greedy", "snr_greedy, snr-greedy"})
    void aMeshJobReproducesTheReferenceTrace(String reference, String strategy) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(Fixtures.path("tiny-llama/search-reference.json").toFile());
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "strategy": {"strategy": "%s"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 8192}}"""
                .formatted(strategy), JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 11).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, Duration.ofMinutes(2)).status);
        JobView view = views.job(id);
        List<TraceEntry> trace = views.candidates(id);
        JsonNode expected = ref.get(reference).get("trace");
        assertEquals(expected.size(), trace.size(), "candidates decided");
        for (int i = 0; i < trace.size(); i++) {
            JsonNode e = expected.get(i);
            TraceEntry actual = trace.get(i);
            String where = reference + " step " + (i + 1);
            assertEquals(e.get("layer").asInt(), actual.layer(), where);
            assertEquals(e.get("module").asText(), actual.module(), where);
            assertEquals(e.get("rank").asInt(), actual.rank(), where);
            assertEquals(e.get("accepted").asBoolean(), actual.accepted(), where);
            assertEquals(e.get("ppl").asDouble(), actual.perplexity(), TOLERANCE * e.get("ppl").asDouble(), where);
        }
        assertEquals(ref.get("baseline_ppl").asDouble(), view.baselinePerplexity(),
                TOLERANCE * ref.get("baseline_ppl").asDouble());
        double finalPpl = ref.get(reference).get("final_ppl").asDouble();
        assertEquals(finalPpl, view.finalPerplexity(), TOLERANCE * finalPpl);
    }
}
