package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.contracts.job.MatrixView;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.RankDecision;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/contracts.md cannot drift: every example block (fenced as {@code ```json TypeName}) reads into
 * its record and writes back to the same JSON, every contract type has an example, the spectra shown
 * are what core computes, and the submitted job specs pass the validator.
 */
class ContractsDocTest {

    /** The contract types by the name their examples are tagged with. */
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("AnalysisTask", AnalysisTask.class), Map.entry("AnalysisResult", AnalysisResult.class),
            Map.entry("ReductionTask", ReductionTask.class), Map.entry("ReductionResult", ReductionResult.class),
            Map.entry("EvaluationTask", EvaluationTask.class), Map.entry("EvaluationResult", EvaluationResult.class),
            Map.entry("JobEvent", JobEvent.class), Map.entry("JobSpec", JobSpec.class),
            Map.entry("JobView", JobView.class), Map.entry("MatrixView", MatrixView.class),
            Map.entry("CandidateView", TraceEntry.class), Map.entry("ErrorBody", ErrorBody.class));

    private static final Pattern EXAMPLE = Pattern.compile("```json (\\w+)\\n(.*?)\\n```", Pattern.DOTALL);

    /** Reads the examples as trees without rounding decimals, to compare them with what is written. */
    private static final ObjectMapper TREES = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One example block: its type tag, its JSON and the line of docs/contracts.md it starts on. */
    private record Example(String type, String json, int line) {

        String where() {
            return "docs/contracts.md line " + line + " (" + type + ")";
        }
    }

    private static List<Example> examples() throws IOException {
        Path doc = Path.of(System.getProperty("lasermesh.docs", "../docs")).resolve("contracts.md");
        String text = Files.readString(doc);
        Matcher m = EXAMPLE.matcher(text);
        List<Example> examples = new ArrayList<>();
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).lines().count() + 1;
            examples.add(new Example(m.group(1), m.group(2), line));
        }
        return examples;
    }

    /** Numbers compare by value (1 equals 1.0), everything else exactly. */
    private static final Comparator<JsonNode> SAME = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    @Test
    void everyExampleReadsIntoItsRecordAndWritesBackTheSameJson() throws IOException {
        List<Example> examples = examples();
        Set<String> shown = new LinkedHashSet<>();
        for (Example example : examples) {
            Class<?> type = TYPES.get(example.type());
            assertNotNull(type, example.where() + ": unknown type tag");
            Object value = assertDoesNotThrow(() -> Json.read(example.json(), type), example.where());
            String written = Json.write(value);
            assertTrue(TREES.readTree(example.json()).equals(SAME, TREES.readTree(written)),
                    example.where() + " does not write back the same:\n" + example.json() + "\n" + written);
            assertEquals(value, Json.read(written, type));
            shown.add(example.type());
        }
        assertEquals(TYPES.keySet(), shown, "every contract type has an example");
        assertTrue(examples.size() >= 20, "examples found: " + examples.size());
    }

    /** The spectra in the examples are real: core computes the same summary from the same values. */
    @Test
    void spectrumExamplesAreWhatCoreComputes() throws IOException {
        List<SpectrumSummary> spectra = new ArrayList<>();
        for (Example example : examples()) {
            if (example.type().equals("AnalysisResult")) {
                AnalysisResult result = Json.read(example.json(), AnalysisResult.class);
                if (result.succeeded()) {
                    spectra.add(result.output().spectrum());
                }
            } else if (example.type().equals("MatrixView")) {
                spectra.add(Json.read(example.json(), MatrixView.class).spectrum());
            }
        }
        assertEquals(2, spectra.size());
        for (SpectrumSummary shown : spectra) {
            RankDecision d = shown.decision();
            RankPolicySpec policy = d.inputs().containsKey("rank")
                    ? new RankPolicySpec(d.policy(), null, null, d.inputs().get("rank").intValue(), null)
                    : RankPolicySpec.named(d.policy());
            assertEquals(SpectrumSummary.of(new SingularSpectrum(shown.singularValues(), shown.rows(), shown.cols()),
                    policy.toPolicy()), shown);
        }
    }

    /**
     * The submitted examples are valid jobs: tiny-llama and minilm under the fixtures, texts under
     * fixtures/text, the task folder under fixtures/minilm.
     */
    @Test
    void submittedJobSpecsPassTheValidator() throws IOException {
        Path fixtures = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
        JobSpecValidator validator = new JobSpecValidator(List.of(fixtures), List.of(fixtures.resolve("text"),
                fixtures.resolve("minilm")));
        int submitted = 0;
        for (Example example : examples()) {
            if (example.type().equals("JobSpec")) {
                JobSpec spec = Json.read(example.json(), JobSpec.class);
                if (!Path.of(spec.model()).isAbsolute()) {
                    JobSpec resolved = assertDoesNotThrow(() -> validator.resolve(spec), example.where());
                    assertEquals(resolved, validator.resolve(resolved));
                    submitted++;
                }
            }
        }
        assertEquals(5, submitted);
        assertFalse(Files.readString(Path.of(System.getProperty("lasermesh.docs", "../docs")).resolve("contracts.md"))
                .contains("\"failure\": null"), "nulls are left out, so examples must not show them");
    }
}
