package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A calibrated job (DESIGN §7.4) on the real mesh (separate processes, real Kafka and PostgreSQL):
 * SVD-LLM's whitening with the moby-dick calibration (2048 tokens), searched by SFSD's surgical rule on
 * tiny-llama's layer 5 q and down. The evaluators calibrate shards and score the probes, the gateway
 * merges the statistics, the analyzer and the reducers read them from the artifact store. The output must
 * be {@code lasermesh run --strategy sfsd-surgical --method whitened --calibration …}'s for the same job (the
 * standalone calibrating on as many OpenBLAS threads as an evaluator): the same search (every probe, bound
 * and decision, both splits' perplexities within {@link SameOutput}'s 1e-6), the same matrices at the same
 * ranks and storage, and the {@code method} section's activation and weight errors and the written tensors
 * within {@value #TOLERANCE} relative.
 */
@ExtendWith(MeshExtension.class)
class CalibratedJobIT {

    /** A hang guard for the job (a minute or two normally), far above a slow shared machine; not a time bound. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5", "modules": "q,down"},
             "strategy": {"strategy": "sfsd-surgical", "tolerance": 1.05, "validationFraction": 0.25},
             "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
             "method": "whitened", "calibration": {"text": "moby-dick.txt", "tokens": 2048, "window": 128}}
            """;

    /**
     * Relative tolerance of the tensors and the method's errors. The search's perplexities, decisions and
     * ranks are {@link SameOutput}'s (1e-6, equal); the reconstructions, which go through S⁻¹, are not
     * byte-identical to the standalone's (down_proj's differed) but agree to rounding: 9e-16 relative for
     * the tensors and 5e-16 for the errors on the first run, which the test prints. 1e-10 leaves room for
     * another machine's rounding and still fails on any real difference in the statistics or the method.
     */
    private static final double TOLERANCE = 1e-10;

    private final Mesh mesh;

    @TempDir
    Path temp;

    CalibratedJobIT(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void aWhitenedSurgicalJobEqualsTheStandalone() throws IOException {
        Path out = temp.resolve("run");
        Path texts = mesh.dataRoot();
        StandaloneRun standalone = StandaloneRun.of(out, "run", mesh.modelRoot().resolve("tiny-llama").toString(),
                "--text", texts.resolve("sotu-2009-2021.txt").toString(), "--max-tokens", "1024", "--layers", "5",
                "--modules", "q,down", "--strategy", "sfsd-surgical", "--tolerance", "1.05", "--validation-fraction",
                "0.25", "--method", "whitened", "--calibration", texts.resolve("moby-dick.txt").toString(),
                "--calibration-tokens", "2048", "--threads", String.valueOf(mesh.evaluatorThreads()),
                "--out", out.toString());
        JsonNode expected = JSON.readTree(standalone.output().resolve("lasermesh-report.json").toFile());
        try (GatewayClient client = mesh.client()) {
            String id = GatewayClient.createdId(client.submit(SPEC));
            JobView end = client.awaitEnd(id, HANG_GUARD);
            assertEquals(JobStatus.SUCCEEDED, end.status(), () -> "job " + id + " ended " + end.status() + ": "
                    + end.errors());
            Path output = mesh.artifacts().resolve(end.output());
            System.out.println("[mesh-it] calibrated job: largest relative tensor difference to the standalone "
                    + SameOutput.assertSameReportAndCloseTensors(standalone.output(), output, TOLERANCE));
            JsonNode report = JSON.readTree(client.report(id));
            JsonNode trace = report.at("/search/trace");
            assertTrue(trace.size() > 2, "premise: the search probed several ranks");
            assertTrue(report.get("matrices").size() > 0, "premise: the search kept a reduction");
            for (String field : List.of("split", "search_split")) {
                assertEquals(expected.at("/perplexity/" + field), report.at("/perplexity/" + field), field);
            }
            for (String field : List.of("search_before", "search_after")) {
                double want = expected.at("/perplexity/" + field).doubleValue();
                assertEquals(want, report.at("/perplexity/" + field).doubleValue(), SameOutput.PPL_TOLERANCE * want,
                        field);
            }
            JsonNode method = report.get("method");
            assertEquals("whitened", method.get("name").asText());
            assertEquals(expected.at("/method/spectrum"), method.get("spectrum"));
            JsonNode matrices = method.get("matrices");
            assertEquals(report.get("matrices").size(), matrices.size(), "one entry per written matrix");
            assertEquals(fieldNames(expected.at("/method/matrices")), fieldNames(matrices), "the matrices written");
            double largest = 0;
            for (var m : matrices.properties()) {
                JsonNode want = expected.at("/method/matrices").get(m.getKey());
                assertEquals(want.get("rank"), m.getValue().get("rank"), m.getKey() + ": rank");
                for (String error : List.of("activation_error", "relative_weight_error")) {
                    double w = want.get(error).doubleValue();
                    double g = m.getValue().get(error).doubleValue();
                    assertTrue(Math.abs(g - w) <= TOLERANCE * w, m.getKey() + ": " + error + " " + g
                            + ", the standalone's " + w);
                    largest = Math.max(largest, Math.abs(g - w) / w);
                }
            }
            System.out.println("[mesh-it] calibrated job: largest relative method-error difference to the standalone "
                    + largest);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
