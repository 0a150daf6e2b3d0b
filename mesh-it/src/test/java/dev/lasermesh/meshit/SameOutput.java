package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Asserts that two jobs produced the same reduced model: their {@code lasermesh-report.json} tell the
 * same search (same candidates in the same order with the same ranks and decisions, the same accepted
 * matrices in order, every perplexity within {@value #PPL_TOLERANCE} relative), the same replaced
 * matrices at the same ranks and the same storage totals; and every tensor of the two output models
 * holds the same bytes. (An SNR is compared with the same relative tolerance: it is computed from
 * singular values, which the analyzer service and the standalone each compute.)
 *
 * <p>{@value #PPL_TOLERANCE} is issue 4's bar. The mesh merges the evaluators' exact partial sums and
 * computes perplexity as core's {@code WindowPlan.result} does, on the same float32 forward pass, so the
 * difference actually seen is far smaller; {@link #assertSame} returns it for the test's output.
 */
final class SameOutput {

    /** Relative tolerance of every perplexity. */
    static final double PPL_TOLERANCE = 1e-6;

    private static final String REPORT = "lasermesh-report.json";
    private static final ObjectMapper REPORT_READER = new ObjectMapper();

    private double largestDifference;

    private SameOutput() {
    }

    /**
     * Asserts that the output folder {@code actual} holds the model and report of {@code expected}.
     *
     * @return the largest relative difference of any perplexity (or SNR) of the two reports
     */
    static double assertSame(Path expected, Path actual) {
        SameOutput comparison = new SameOutput();
        comparison.compare(expected, actual);
        return comparison.largestDifference;
    }

    /**
     * As {@link #assertSame}, but the tensors of the two models, each read as float32, need only agree
     * within {@code tolerance} relative: ‖got − want‖_F ≤ tolerance·‖want‖_F (names, dtypes and shapes
     * still equal).
     *
     * @return the largest relative difference of any tensor
     */
    static double assertSameReportAndCloseTensors(Path expected, Path actual, double tolerance) {
        new SameOutput().compareReports(expected, actual);
        return assertCloseTensors(expected, actual, tolerance);
    }

    private void compare(Path expected, Path actual) {
        compareReports(expected, actual);
        assertSameTensors(expected, actual);
    }

    private void compareReports(Path expected, Path actual) {
        JsonNode want = report(expected);
        JsonNode got = report(actual);
        assertEquals(want.get("policy"), got.get("policy"), "policy");
        assertEquals(want.get("form"), got.get("form"), "form");
        assertSearch(want.get("search"), got.get("search"));
        assertPerplexity(want.get("perplexity"), got.get("perplexity"));
        assertEquals(matrices(want), matrices(got), "replaced matrices (name, analysed rank, reduced rank, written as)");
        assertEquals(want.get("totals"), got.get("totals"), "storage totals");
    }

    private void assertSearch(JsonNode want, JsonNode got) {
        assertEquals(want.get("strategy"), got.get("strategy"), "search strategy");
        assertEquals(want.get("accepted").size(), got.get("accepted").size(), "accepted candidates");
        for (int i = 0; i < want.get("accepted").size(); i++) {
            JsonNode w = want.get("accepted").get(i);
            JsonNode g = got.get("accepted").get(i);
            String where = "accepted candidate " + (i + 1) + " (" + w.get("matrix").asText() + ")";
            for (String field : List.of("matrix", "layer", "module", "rank")) {
                assertEquals(w.get(field), g.get(field), where + ": " + field);
            }
            assertClose(w.get("snr"), g.get("snr"), where + ": snr");
        }
        assertClose(want.get("baseline_perplexity"), got.get("baseline_perplexity"), "baseline perplexity");
        assertClose(want.get("final_perplexity"), got.get("final_perplexity"), "final perplexity");
        JsonNode wantTrace = want.get("trace");
        JsonNode gotTrace = got.get("trace");
        assertEquals(wantTrace.size(), gotTrace.size(), "candidates evaluated");
        for (int i = 0; i < wantTrace.size(); i++) {
            JsonNode w = wantTrace.get(i);
            JsonNode g = gotTrace.get(i);
            String where = "candidate " + (i + 1) + " (" + w.get("matrix").asText() + ")";
            for (String field : List.of("order", "matrix", "layer", "module", "rank", "split", "accepted")) {
                assertEquals(w.get(field), g.get(field), where + ": " + field);
            }
            assertClose(w.get("perplexity"), g.get("perplexity"), where + ": perplexity");
            assertClose(w.get("compared_with"), g.get("compared_with"), where + ": compared_with");
        }
    }

    private void assertPerplexity(JsonNode want, JsonNode got) {
        for (String field : List.of("protocol", "window", "windows")) {
            assertEquals(want.get(field), got.get(field), "perplexity." + field);
        }
        assertClose(want.get("before"), got.get("before"), "perplexity.before");
        assertClose(want.get("after"), got.get("after"), "perplexity.after");
    }

    private static List<String> matrices(JsonNode report) {
        List<String> rows = new ArrayList<>();
        for (JsonNode m : report.get("matrices")) {
            rows.add(m.at("/analysis/name").asText() + " k=" + m.at("/analysis/rank").asText() + " reduced k="
                    + m.at("/reduction/rank").asText() + " as " + m.get("written_as"));
        }
        return rows;
    }

    /** Every tensor of both output models, by name, byte for byte. */
    private static void assertSameTensors(Path expected, Path actual) {
        try (TensorSource want = TensorSources.open(expected); TensorSource got = TensorSources.open(actual)) {
            assertEquals(names(want), names(got), "tensor names of the output model");
            for (TensorInfo info : want.tensors()) {
                TensorInfo other = got.info(info.name());
                assertEquals(info.dtype(), other.dtype(), info.name() + ": dtype");
                assertTrue(Arrays.equals(info.shape(), other.shape()), info.name() + ": shape "
                        + Arrays.toString(other.shape()) + ", expected " + Arrays.toString(info.shape()));
                MemorySegment w = want.bytes(info.name());
                MemorySegment g = got.bytes(info.name());
                long at = w.mismatch(g);
                assertEquals(-1, at, info.name() + ": bytes differ from byte " + at);
            }
        }
    }

    /** Every tensor of both output models, by name, within {@code tolerance} relative in Frobenius norm. */
    private static double assertCloseTensors(Path expected, Path actual, double tolerance) {
        double largest = 0;
        try (TensorSource want = TensorSources.open(expected); TensorSource got = TensorSources.open(actual)) {
            assertEquals(names(want), names(got), "tensor names of the output model");
            for (TensorInfo info : want.tensors()) {
                TensorInfo other = got.info(info.name());
                assertEquals(info.dtype(), other.dtype(), info.name() + ": dtype");
                assertTrue(Arrays.equals(info.shape(), other.shape()), info.name() + ": shape "
                        + Arrays.toString(other.shape()) + ", expected " + Arrays.toString(info.shape()));
                float[] w = want.readFloats(info.name());
                float[] g = got.readFloats(info.name());
                double difference = 0;
                double norm = 0;
                for (int i = 0; i < w.length; i++) {
                    difference += ((double) g[i] - w[i]) * ((double) g[i] - w[i]);
                    norm += (double) w[i] * w[i];
                }
                double relative = norm == 0 ? Math.sqrt(difference) : Math.sqrt(difference / norm);
                assertTrue(relative <= tolerance, info.name() + ": differs by " + relative + " relative (Frobenius), "
                        + "more than " + tolerance);
                largest = Math.max(largest, relative);
            }
        }
        return largest;
    }

    private static List<String> names(TensorSource source) {
        return source.tensors().stream().map(TensorInfo::name).sorted().toList();
    }

    private void assertClose(JsonNode want, JsonNode got, String what) {
        double w = want.asDouble();
        double g = got.asDouble();
        double relative = Math.abs(g - w) / Math.abs(w);
        assertTrue(relative <= PPL_TOLERANCE, what + ": " + g + ", expected " + w + " within " + PPL_TOLERANCE
                + " relative");
        largestDifference = Math.max(largestDifference, relative);
    }

    private static JsonNode report(Path folder) {
        try {
            return REPORT_READER.readTree(folder.resolve(REPORT).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(folder.resolve(REPORT) + ": cannot read", e);
        }
    }
}
