package dev.lasermesh.core.quant;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantized model folders: the selected matrices replaced by their dequantized blocks (checked
 * against {@code quant/reference.json}'s errors and the codec), everything else byte for byte, the
 * report's bytes as ggml counts them, matrices whose rows do not split into blocks kept and listed
 * (stories260K's down_proj, row length 172), and the refusals that write nothing.
 */
class ModelQuantizerTest {

    private static final JsonNode REF = Fixtures.json("quant/reference.json");

    @TempDir
    Path temp;

    @Test
    void tinyLlamaQ4FolderHoldsTheDequantizedBlocks() throws IOException {
        Path out = temp.resolve("q4");
        try (ModelSource source = ModelSource.open(Fixtures.path("tiny-llama"))) {
            List<MatrixRef> linears = source.catalogue().defaultSelection();
            QuantizationReport report = ModelQuantizer.writeQuantized(source, linears, QuantScheme.Q4_0, out);
            assertEquals(42, report.totals().quantized());
            assertEquals(0, report.totals().kept());
            assertEquals(REF.at("/variants/base/linear_bytes").longValue(), report.totals().bytesBefore());
            assertEquals(REF.at("/variants/Q4_0/linear_bytes").longValue(), report.totals().bytesAfter());
            for (MatrixQuantization m : report.matrices()) {
                assertRelative(REF.at("/frobenius_error_all_linears/" + m.name() + "/Q4_0").doubleValue(),
                        m.error().frobeniusError(), 1e-6, m.name());
                assertEquals(m.error().frobeniusError(), m.writtenError(), 0.0, "F32 stores the values as they are");
            }
            try (TensorSource written = TensorSources.open(out)) {
                String q = "model.layers.2.self_attn.q_proj.weight";
                float[] original = source.tensors().readFloats(q);
                assertArrayEquals(QuantScheme.Q4_0.quantize(original, 256, 256).dequantize(), written.readFloats(q));
                assertEquals(source.tensors().bytes("model.embed_tokens.weight").asByteBuffer(),
                        written.bytes("model.embed_tokens.weight").asByteBuffer(), "unselected tensors are copied");
                assertEquals(source.tensors().tensors().size(), written.tensors().size());
            }
        }
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
        assertTrue(Files.exists(out.resolve("config.json")));
        JsonNode json = new ObjectMapper().readTree(out.resolve(ModelQuantizer.REPORT_FILE).toFile());
        assertEquals("q4_0", json.get("scheme").textValue());
        assertEquals(2488320, json.at("/totals/bytes_after").longValue());
        assertTrue(json.at("/matrices/0/error/frobenius_error").isNumber());
    }

    @Test
    void rowsThatDoNotSplitIntoBlocksAreKeptAndListed() {
        Path out = temp.resolve("stories");
        try (ModelSource source = ModelSource.open(Fixtures.path("stories260K"))) {
            QuantizationReport report = ModelQuantizer.writeQuantized(source, source.catalogue().defaultSelection(),
                    QuantScheme.Q8_0, out);
            assertEquals(5, report.totals().kept());
            assertEquals(30, report.totals().quantized());
            assertEquals(List.of("model.layers.0.mlp.down_proj.weight", "model.layers.1.mlp.down_proj.weight",
                    "model.layers.2.mlp.down_proj.weight", "model.layers.3.mlp.down_proj.weight",
                    "model.layers.4.mlp.down_proj.weight"), report.kept());
            MatrixQuantization down = report.matrices().stream().filter(m -> !m.quantized()).findFirst().orElseThrow();
            assertEquals("row length 172 is not a multiple of 32", down.keptBecause());
            assertEquals(64L * 172 * 4, down.bytesAfter());
            assertNull(down.error());
            try (TensorSource written = TensorSources.open(out)) {
                assertEquals(source.tensors().bytes(down.name()).asByteBuffer(), written.bytes(down.name()).asByteBuffer());
            }
        }
    }

    @Test
    void bf16TensorsStayBf16AndReportTheRoundedError() {
        Path out = temp.resolve("bf16");
        try (ModelSource source = ModelSource.open(Fixtures.path("tiny-llama/model-bf16"))) {
            MatrixRef q = source.catalogue().byName("model.layers.2.self_attn.q_proj.weight");
            QuantizationReport report = ModelQuantizer.writeQuantized(source, List.of(q), QuantScheme.Q8_0, out);
            MatrixQuantization m = report.matrices().getFirst();
            assertEquals("BF16", m.dtype());
            assertEquals(256L * 256 * 2, m.bytesBefore());
            assertEquals(REF.at("/matrices/" + q.name() + "/Q8_0/bytes").longValue(), m.bytesAfter());
            assertTrue(m.writtenError() > m.error().frobeniusError(), "BF16 cannot hold every q*d exactly");
            try (TensorSource written = TensorSources.open(out)) {
                assertEquals(DType.BF16, written.info(q.name()).dtype());
            }
        }
    }

    @Test
    void modelWhoseMatricesAreAllTooNarrowIsRefusedAndNothingWritten() {
        Path model = new SyntheticModel(64, 48, 80, 1, 4, 2, true, DType.F32, 7).write(temp.resolve("narrow"), 1L << 30);
        Path out = temp.resolve("narrow-q8");
        try (ModelSource source = ModelSource.open(model)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelQuantizer.writeQuantized(
                    source, source.catalogue().defaultSelection(), QuantScheme.Q8_0, out));
            assertTrue(e.getMessage().contains("row lengths [48, 80]"), e.getMessage());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void outputFolderEqualToTheInputIsRefused() throws IOException {
        Path model = new SyntheticModel(64, 64, 96, 1, 4, 2, true, DType.F32, 7).write(temp.resolve("m"), 1L << 30);
        List<Path> before;
        try (var files = Files.list(model)) {
            before = files.sorted().toList();
        }
        try (ModelSource source = ModelSource.open(model)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelQuantizer.writeQuantized(
                    source, source.catalogue().defaultSelection(), QuantScheme.Q8_0, model));
            assertTrue(e.getMessage().contains("the output folder is the input"), e.getMessage());
        }
        try (var files = Files.list(model)) {
            assertEquals(before, files.sorted().toList());
        }
    }
}
