package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quantize}, {@code reduce --quantize} and {@code study quantization} as a user meets them: the
 * refusals (exit 2, one line, nothing written), the report and the GGUF of a quantized folder, the factors
 * of a factored reduction quantized only where their rows split into blocks of 32, and the study table
 * from an earlier report. Numbers are checked in core against {@code quant/reference.json}.
 */
class QuantizeCliTest {

    private static final Path TINY = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .resolve("tiny-llama");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void badInputIsRefusedWithOneLineAndNothingWritten() {
        Path out = temp.resolve("out");
        CliRun unknown = CliRun.of("quantize", TINY.toString(), "--scheme", "q3_x", "--out", out.toString());
        assertEquals(2, unknown.exit());
        assertEquals("lasermesh: unknown quantization scheme \"q3_x\" (valid: q8_0, q4_0)", unknown.err().strip());

        Path narrow = new SyntheticModel(64, 48, 80, 1, 4, 2, true, DType.F32, 5).write(temp.resolve("narrow"), 1L << 30);
        CliRun tooNarrow = CliRun.of("quantize", narrow.toString(), "--scheme", "q8_0", "--out", out.toString());
        assertEquals(2, tooNarrow.exit());
        assertEquals(1, tooNarrow.err().strip().lines().count(), tooNarrow.err());
        assertTrue(tooNarrow.err().contains("multiple of 32"), tooNarrow.err());

        Path wide = new SyntheticModel(64, 64, 96, 1, 4, 2, true, DType.F32, 5).write(temp.resolve("wide"), 1L << 30);
        CliRun self = CliRun.of("quantize", wide.toString(), "--scheme", "q8_0", "--out", wide.toString());
        assertEquals(2, self.exit());
        assertTrue(self.err().contains("the output folder is the input"), self.err());

        CliRun reduce = CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--quantize", "q5");
        assertEquals(2, reduce.exit());
        assertTrue(reduce.err().contains("unknown quantization scheme \"q5\""), reduce.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void quantizeWritesTheFolderReportAndGguf() throws IOException {
        Path out = temp.resolve("q8");
        Path gguf = temp.resolve("tiny-q8.gguf");
        CliRun r = CliRun.of("quantize", TINY.toString(), "--scheme", "q8_0", "--layers", "0-1", "--modules",
                "q,down", "--out", out.toString(), "--gguf", gguf.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode report = JSON.readTree(out.resolve("lasermesh-report.json").toFile());
        assertEquals(JSON.readTree(r.out()), report);
        assertEquals("q8_0", report.get("scheme").asText());
        assertEquals(4, report.get("matrices").size());
        assertEquals("0.q", report.at("/matrices/0/label").asText());
        assertEquals(256L * 256 * 4, report.at("/matrices/0/bytes_before").asLong());
        assertEquals(256L * 8 * 34, report.at("/matrices/0/bytes_after").asLong());
        assertEquals(2L * (65536 + 180224) * 4, report.at("/totals/bytes_before").asLong());
        assertEquals(gguf.toString(), report.at("/gguf/file").asText());
        assertEquals(Files.size(gguf), report.at("/gguf/bytes").asLong());
        assertEquals(4, report.at("/gguf/tensors_by_type/Q8_0").asInt());
        assertEquals("GGUF", new String(Files.readAllBytes(gguf), 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void factoredReductionQuantizesOnlyFactorsWhoseRowsSplitIntoBlocksThenTheStudyUsesItsReport() throws IOException {
        Path out = temp.resolve("factored");
        CliRun r = CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--factored", "--layers", "1",
                "--modules", "k,v", "--policy", "fixed", "--rank", "59", "--quantize", "q4_0");
        assertEquals(0, r.exit(), r.err());
        JsonNode q = JSON.readTree(out.resolve("lasermesh-report.json").toFile()).get("quantization");
        assertEquals("q4_0", q.get("scheme").asText());
        assertEquals(4, q.get("matrices").size());
        assertEquals(2, q.at("/totals/quantized").asInt(), "the two sqrt(S)Vt factors (rows of 256)");
        assertEquals("model.layers.1.self_attn.k_proj.1.weight", q.at("/kept/0").asText());
        assertEquals("model.layers.1.self_attn.v_proj.1.weight", q.at("/kept/1").asText());
        assertEquals("row length 59 is not a multiple of 32", q.at("/matrices/1/kept_because").asText());
        assertEquals(59L * 8 * 18, q.at("/matrices/0/bytes_after").asLong());
        assertTrue(r.out().contains("q4_0: 2 matrices quantized"), r.out());

        CliRun study = CliRun.of("study", "quantization", TINY.toString(), "--text",
                TINY.resolve("../text/sotu-2009-2021.txt").toString(), "--max-tokens", "1024",
                "--laser-from", out.resolve("lasermesh-report.json").toString(), "--format", "json");
        assertEquals(0, study.exit(), study.err());
        JsonNode result = JSON.readTree(study.out());
        assertTrue(result.at("/laser/source").asText().startsWith("report "), result.at("/laser/source").asText());
        assertEquals(2, result.at("/laser/matrices").size());
        assertEquals(59, result.at("/laser/matrices/0/rank").asInt());
        assertEquals(9, result.get("rows").size());
        assertEquals("laser-factored+Q4_0", result.at("/rows/8/variant/name").asText());
        assertEquals(8, result.at("/evaluation/windows").asInt());
        for (JsonNode row : result.get("rows")) {
            assertTrue(row.get("perplexity").asDouble() > 1, row.toString());
        }
    }
}
