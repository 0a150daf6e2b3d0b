package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the real fixture models and checks names, shapes, metadata and decoded values against their READMEs and references. */
class SafetensorsFileTest {

    /** tiny-llama per its README: 6 layers, hidden 256, intermediate 704, 8 query heads and 4 KV heads of 32, vocab 1026. */
    static Map<String, List<Long>> tinyLlamaShapes() {
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", List.of(1026L, 256L));
        shapes.put("lm_head.weight", List.of(1026L, 256L));
        shapes.put("model.norm.weight", List.of(256L));
        for (int i = 0; i < 6; i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", List.of(256L));
            shapes.put(p + "post_attention_layernorm.weight", List.of(256L));
            shapes.put(p + "self_attn.q_proj.weight", List.of(256L, 256L));
            shapes.put(p + "self_attn.k_proj.weight", List.of(128L, 256L));
            shapes.put(p + "self_attn.v_proj.weight", List.of(128L, 256L));
            shapes.put(p + "self_attn.o_proj.weight", List.of(256L, 256L));
            shapes.put(p + "mlp.gate_proj.weight", List.of(704L, 256L));
            shapes.put(p + "mlp.up_proj.weight", List.of(704L, 256L));
            shapes.put(p + "mlp.down_proj.weight", List.of(256L, 704L));
        }
        return shapes;
    }

    private static List<Long> shapeOf(TensorInfo t) {
        List<Long> s = new ArrayList<>();
        for (long d : t.shape()) {
            s.add(d);
        }
        return s;
    }

    @Test
    void tinyLlamaHasItsFiftySevenTensorsSortedByNameWithFormatMetadata() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            Map<String, List<Long>> expected = tinyLlamaShapes();
            assertEquals(57, expected.size());
            assertEquals(57, file.tensors().size());
            Map<String, List<Long>> actual = new LinkedHashMap<>();
            file.tensors().forEach(t -> actual.put(t.name(), shapeOf(t)));
            assertEquals(expected.keySet().stream().sorted().toList(), List.copyOf(actual.keySet()));
            expected.forEach((name, shape) -> assertEquals(shape, actual.get(name), name));
            assertTrue(file.tensors().stream().allMatch(t -> t.dtype() == DType.F32));
            assertEquals(Map.of("format", "pt"), file.metadata());
            assertTrue(file.contains("lm_head.weight"));
            assertFalse(file.contains("model.layers.6.mlp.up_proj.weight"));
        }
    }

    @Test
    void float32DecodingMatchesTheReferenceFrobeniusNorm() {
        JsonNode ref = Fixtures.json("tiny-llama/reference.json").path("laser").path("matrices")
                .path("model.layers.5.mlp.down_proj.weight");
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            double[] w = file.readDoubles("model.layers.5.mlp.down_proj.weight");
            float[] f = file.readFloats("model.layers.5.mlp.down_proj.weight");
            assertEquals(256 * 704, w.length);
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                assertEquals(f[i], w[i]);
                sum += w[i] * w[i];
            }
            assertEquals(ref.get("frobenius_norm_original").asDouble(), Math.sqrt(sum), 1e-12 * Math.sqrt(sum));
        }
    }

    /**
     * ‖W‖²_F = Σ S², with S the float64 singular values of the reference (the BF16 one: of the exactly
     * widened values).
     */
    @Test
    void spectraMatricesDecodeToTheirReferenceEnergy() {
        JsonNode matrices = Fixtures.json("spectra/reference.json").get("matrices");
        assertEquals(5, matrices.size());
        for (JsonNode m : matrices) {
            try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("spectra/" + m.get("file").asText()))) {
                TensorInfo info = file.info("weight");
                assertEquals(m.get("dtype").asText(), info.dtype().headerName());
                assertEquals(m.get("shape").get(0).asLong(), info.rows());
                assertEquals(m.get("shape").get(1).asLong(), info.cols());
                double energy = 0;
                for (double v : file.readDoubles("weight")) {
                    energy += v * v;
                }
                double expected = 0;
                for (JsonNode s : m.get("singular_values")) {
                    expected += s.asDouble() * s.asDouble();
                }
                assertEquals(expected, energy, 1e-10 * expected, m.get("file").asText());
            }
        }
    }

    @Test
    void bf16ModelIsTheRoundToNearestEvenOfTheFloat32Model() {
        try (SafetensorsFile f32 = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"));
             SafetensorsFile bf16 = SafetensorsFile.open(Fixtures.path("tiny-llama/model-bf16/model.safetensors"))) {
            assertEquals(f32.tensors().stream().map(TensorInfo::name).toList(),
                    bf16.tensors().stream().map(TensorInfo::name).toList());
            for (TensorInfo t : f32.tensors()) {
                float[] exact = f32.readFloats(t.name());
                float[] rounded = bf16.readFloats(t.name());
                assertEquals(DType.BF16, bf16.info(t.name()).dtype());
                assertArrayEquals(t.shape(), bf16.info(t.name()).shape());
                short[] stored = bf16.bytes(t.name()).toArray(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN));
                for (int i = 0; i < exact.length; i++) {
                    assertEquals(TensorCodec.floatToBf16(exact[i]), stored[i], t.name() + "[" + i + "]");
                    assertEquals(Float.floatToRawIntBits(rounded[i]), stored[i] << 16);
                }
            }
        }
    }

    /** Independent of TensorCodec: round the low half-word by hand (greater than half up, exact half to even). */
    @Test
    void bf16ValuesCheckedByBitArithmetic() {
        String name = "model.layers.2.self_attn.q_proj.weight";
        try (SafetensorsFile f32 = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"));
             SafetensorsFile bf16 = SafetensorsFile.open(Fixtures.path("tiny-llama/model-bf16/model.safetensors"))) {
            float[] exact = f32.readFloats(name);
            float[] rounded = bf16.readFloats(name);
            for (int i : new int[] {0, 1, 17, 4096, 65535}) {
                int bits = Float.floatToRawIntBits(exact[i]);
                int upper = bits >>> 16;
                int lower = bits & 0xFFFF;
                if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
                    upper++;
                }
                assertEquals(Float.intBitsToFloat(upper << 16), rounded[i], name + "[" + i + "]");
                assertTrue(Math.abs(rounded[i] - exact[i]) <= Math.ulp(exact[i]) * 0x8000, "within half a bf16 ulp");
            }
        }
    }

    @Test
    void stories260KHasTiedEmbeddingsAndNoLmHead() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("stories260K/model.safetensors"))) {
            assertEquals(2 + 5 * 9, file.tensors().size());
            assertFalse(file.contains("lm_head.weight"));
            assertArrayEquals(new long[] {512, 64}, file.info("model.embed_tokens.weight").shape());
            assertArrayEquals(new long[] {32, 64}, file.info("model.layers.4.self_attn.k_proj.weight").shape());
            assertArrayEquals(new long[] {64, 172}, file.info("model.layers.0.mlp.down_proj.weight").shape());
        }
    }

    @Test
    void bytesAreTheStoredLittleEndianData() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            String name = "model.norm.weight";
            float[] values = file.readFloats(name);
            var bytes = file.bytes(name);
            assertEquals(256L * 4, bytes.byteSize());
            assertEquals(values[7], bytes.get(TensorCodec.F32_LE, 7L * 4));
            assertTrue(bytes.isReadOnly());
        }
    }

    /** Rows read in blocks are the rows of the whole tensor, for F32 and BF16; rows outside are refused. */
    @Test
    void blocksOfRowsAreTheRowsOfTheWholeMatrix() {
        String name = "model.layers.3.mlp.up_proj.weight";
        for (String model : List.of("tiny-llama/model.safetensors", "tiny-llama/model-bf16/model.safetensors")) {
            try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path(model))) {
                double[] whole = file.readDoubles(name);
                for (int first = 0; first < 704; first += 300) {
                    int count = Math.min(300, 704 - first);
                    double[] block = file.readRows(name, first, count);
                    assertArrayEquals(Arrays.copyOfRange(whole, first * 256, (first + count) * 256), block,
                            model + " rows " + first + ".." + (first + count - 1));
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> file.readRows(name, 700, 5));
                assertTrue(e.getMessage().contains(name) && e.getMessage().contains("704 rows"), e.getMessage());
            }
        }
    }

    @Test
    void unknownTensorIsNamedWithTheFile() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            TensorFormatException e = assertThrows(TensorFormatException.class,
                    () -> file.readFloats("model.layers.9.mlp.up_proj.weight"));
            assertTrue(e.getMessage().contains("model.layers.9.mlp.up_proj.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("tiny-llama/model.safetensors"), e.getMessage());
        }
    }
}
