package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.core.search.TraceEntry;
import org.junit.jupiter.api.Test;

/**
 * The JSON rules of {@link Json}: what is rejected, and that the error names the field the way the
 * gateway's HTTP 400 body needs it.
 */
class JsonTest {

    private static ContractException rejected(String json, Class<?> type) {
        return assertThrows(ContractException.class, () -> Json.read(json, type), json);
    }

    private static void assertRejected(String json, Class<?> type, String field, String messagePart) {
        assertRejected(rejected(json, type), field, messagePart);
    }

    private static void assertRejected(byte[] json, Class<?> type, String field, String messagePart) {
        assertRejected(assertThrows(ContractException.class, () -> Json.read(json, type)), field, messagePart);
    }

    private static void assertRejected(ContractException e, String field, String messagePart) {
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("java."), "one line, no Java types: "
                + e.getMessage());
    }

    @Test
    void unknownFieldsAreNamedWithTheKnownOnes() {
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"windw\":64}}", JobSpec.class,
                "evaluation.windw", "unknown field \"windw\" (known: maxTokens, protocol, stride, task, texts, window)");
    }

    @Test
    void valuesOfTheWrongTypeAreNamedAndNotCoerced() {
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"window\":12.5}}", JobSpec.class,
                "evaluation.window", "must be an integer, got 12.5");
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"window\":\"12\"}}", JobSpec.class,
                "evaluation.window", "must be an integer");
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"window\":true}}", JobSpec.class,
                "evaluation.window", "must be an integer");
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"texts\":[\"a.txt\",3]}}", JobSpec.class,
                "evaluation.texts[1]", "must be a string");
        assertRejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"texts\":\"a.txt\"}}", JobSpec.class,
                "evaluation.texts", "must be an array");
        assertRejected("{\"version\":1,\"model\":\"m\",\"output\":\"sparse\"}", JobSpec.class, "output",
                "must be one of \"dense\", \"factored\", got \"sparse\"");
        assertRejected("{\"version\":1,\"model\":\"m\",\"output\":0}", JobSpec.class, "output", "must be one of");
        assertRejected("{\"version\":1,\"model\":\"m\",\"strategy\":{\"strategy\":\"snr-greedy\",\"count\":\"many\"}}",
                JobSpec.class, "strategy.count", "must be an integer");
    }

    @Test
    void unknownOrMissingStrategyNamesTheStrategyAndListsTheValidOnes() {
        assertRejected("{\"version\":1,\"model\":\"m\",\"strategy\":{\"strategy\":\"anneal\"}}", JobSpec.class,
                "strategy", "unknown strategy \"anneal\" (valid: one-shot, laserrmt-greedy, snr-greedy, laser-grid, sfsd-surgical)");
        assertRejected("{\"version\":1,\"model\":\"m\",\"strategy\":{\"count\":3}}", JobSpec.class, "strategy",
                "needs \"strategy\"");
    }

    @Test
    void missingOrNullNumbersAreErrorsNotZero() {
        String trace = Json.write(Samples.trace());
        assertRejected(trace.replace("\"rank\":25,", ""), TraceEntry.class, "rank", "is missing or null");
        assertRejected(trace.replace("\"rank\":25", "\"rank\":null"), TraceEntry.class, "rank", "is missing or null");
    }

    @Test
    void nonFiniteNumbersAreStringsNeverBareTokensNorOtherStrings() {
        String trace = Json.write(Samples.trace());
        assertEquals(Double.NEGATIVE_INFINITY, Json.read(trace.replace("\"comparedWith\":22.5",
                "\"comparedWith\":\"-Infinity\""), TraceEntry.class).comparedWith());
        assertRejected(trace.replace("\"comparedWith\":22.5", "\"comparedWith\":\"22.5\""), TraceEntry.class,
                "comparedWith", "must be a number");
        ContractException bare = rejected(trace.replace("\"comparedWith\":22.5", "\"comparedWith\":Infinity"),
                TraceEntry.class);
        assertTrue(bare.getMessage().contains("malformed JSON"), bare.getMessage());
    }

    @Test
    void malformedDocumentsAreReportedWithTheirPosition() {
        ContractException trailing = rejected("{\"version\":1,\"model\":\"m\"} x", JobSpec.class);
        assertTrue(trailing.getMessage().contains("malformed JSON at line 1, column"), trailing.getMessage());
        assertNull(trailing.field());
        ContractException truncated = rejected("{\"version\":1,\"model\":", JobSpec.class);
        assertTrue(truncated.getMessage().contains("malformed JSON"), truncated.getMessage());
        assertRejected("", JobSpec.class, null, "empty document");
        assertRejected("[1]", JobSpec.class, null, "the document must be an object");
        ContractException duplicate = rejected("{\"version\":1,\"model\":\"m\",\"model\":\"n\"}", JobSpec.class);
        assertTrue(duplicate.getMessage().contains("Duplicate field 'model'"), duplicate.getMessage());
    }

    @Test
    void aConstructorsRejectionKeepsItsMessageAndGetsTheFullPath() {
        String task = Json.write(Samples.analysisTask());
        assertRejected(task.replace("\"module\":\"down\"", "\"module\":\"mlp\""), AnalysisTask.class, "matrix.module",
                "unknown module \"mlp\"");
        assertRejected(task.replace("\"fraction\":0.5", "\"fraction\":1.5"), AnalysisTask.class, "policy",
                "fraction (--fraction) must be in (0, 1], got 1.5");
        assertRejected(task.replace(Samples.MODEL, "models/tiny"), AnalysisTask.class, "modelPath",
                "must be an absolute path");
    }

    @Test
    void decimalsTravelWithEveryDigit() {
        EvaluationSums sums = Samples.sums();
        String json = Json.write(sums);
        assertTrue(json.contains("\"nllSum\":123.4560000000000030695446184836328029632568359375"), json);
        assertEquals(0, sums.nllSum().compareTo(Json.read(json, EvaluationSums.class).nllSum()));
    }

    @Test
    void aFrameworksMapperConfiguredLikeJsonReadsAndRejectsAlike() throws Exception {
        ObjectMapper framework = Json.configure(new ObjectMapper());
        JobSpec spec = Samples.fullSpec();
        assertEquals(Json.write(spec), framework.writeValueAsString(spec));
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> framework.readValue(
                "{\"version\":1,\"model\":\"m\",\"evaluation\":{\"window\":12.5}}", JobSpec.class));
        ContractException described = Json.describe(e, JobSpec.class);
        assertEquals("evaluation.window", described.field());
        assertEquals("JobSpec: evaluation.window must be an integer, got 12.5", described.getMessage());
    }

    @Test
    void anErrorBodyCarriesTheMessageAndTheField() {
        ContractException e = rejected("{\"version\":1,\"model\":\"m\",\"evaluation\":{\"window\":\"x\"}}", JobSpec.class);
        ErrorBody body = ErrorBody.of(e);
        assertEquals("evaluation.window", body.field());
        assertTrue(Json.write(body).startsWith("{\"error\":\"JobSpec: evaluation.window must be an integer"),
                Json.write(body));
        assertEquals("{\"error\":\"not JSON\"}", Json.write(new ErrorBody("not JSON", null)));
    }

    /** Bare NaN or Infinity is named where it stands, without the parser's advice to enable a feature. */
    @Test
    void bareNonFiniteTokensNameTheirFieldWithoutTheParsersAdvice() {
        for (String token : new String[] {"NaN", "Infinity", "-Infinity"}) {
            String json = "{\"version\":1,\"model\":\"m\",\"evaluation\":{\"texts\":[\"a.txt\"],\"window\":"
                    + token + "}}";
            assertRejected(json, JobSpec.class, "evaluation.window", "in evaluation.window: bare " + token
                    + " is not a JSON value");
            assertFalse(rejected(json, JobSpec.class).getMessage().contains("JsonReadFeature"), json);
        }
        assertRejected("{\"version\":1,\"model\":\"m\",\"strategy\":{\"strategy\":\"laser-grid\",\"rhos\":[0.1,NaN]}}",
                JobSpec.class, "strategy.rhos[1]", "bare NaN");
    }

    @Test
    void theDocumentNullIsRefusedNamingTheBody() {
        assertRejected("null", JobSpec.class, null, "JobSpec: the body is null; expected a JSON object");
        assertRejected(" null ".getBytes(java.nio.charset.StandardCharsets.UTF_8), AnalysisTask.class, null,
                "the body is null");
    }

    /** A long value is quoted shortened, with its length, so a megabyte value is not a megabyte error. */
    @Test
    void longValuesAreQuotedShortened() {
        String huge = "s".repeat(1_000_000);
        ContractException e = rejected("{\"version\":1,\"model\":\"m\",\"strategy\":{\"strategy\":\"" + huge
                + "\"}}", JobSpec.class);
        assertTrue(e.getMessage().length() < 300 && e.getMessage().contains("… (1000000 characters)"), e.getMessage());
        ContractException field = rejected("{\"version\":1,\"model\":\"m\",\"output\":\"" + huge + "\"}",
                JobSpec.class);
        assertTrue(field.getMessage().length() < 300, () -> field.getMessage().substring(0, 300));
        ContractException token = rejected("{\"version\":1,\"model\":" + huge + "}", JobSpec.class);
        assertTrue(token.getMessage().length() < 400, () -> token.getMessage().substring(0, 400));
        assertEquals(ErrorBody.MAX_ERROR_CHARS, new ErrorBody(huge, null).error().length());
    }
}
