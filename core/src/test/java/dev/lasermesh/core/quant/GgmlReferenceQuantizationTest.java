package dev.lasermesh.core.quant;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Q8_0 and Q4_0 of real tiny-llama matrices against {@code quant/reference.json}, whose bytes were
 * checked identical to ggml's compiled {@code quantize_row_*_ref} (see its README): the first block,
 * the first block of the second row and the SHA-256 of all blocks bit-exact, the dequantized first
 * block exact, the byte count exact; Frobenius and max errors to 1e-6 relative (the reference sums
 * in another order, ~1e-12). Then the Frobenius errors of all 42 linear matrices.
 */
class GgmlReferenceQuantizationTest {

    private static final JsonNode REFERENCE = Fixtures.json("quant/reference.json");
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @EnumSource(QuantScheme.class)
    void blocksOfTheTwoReferenceMatricesAreBitExact(QuantScheme scheme) {
        try (ModelSource model = ModelSource.open(Fixtures.path("tiny-llama"))) {
            for (Map.Entry<String, JsonNode> e : REFERENCE.get("matrices").properties()) {
                JsonNode ref = e.getValue().get(scheme.ggmlName());
                String name = e.getKey();
                float[] w = model.tensors().readFloats(name);
                int rows = e.getValue().get("shape").get(0).intValue();
                int cols = e.getValue().get("shape").get(1).intValue();
                assertArrayEquals(HEX.parseHex(ref.get("first_block_input_float32_hex").textValue()),
                        littleEndian(Arrays.copyOf(w, 32)), name + ": the input block read from the model");

                QuantizedMatrix q = scheme.quantize(w, rows, cols);
                byte[] blocks = q.blocks();
                int block = scheme.blockBytes();
                int secondRow = cols / 32 * block;
                assertEquals(ref.get("bytes").longValue(), q.byteSize(), name);
                assertEquals(ref.get("first_8_bytes_hex").textValue(), HEX.formatHex(blocks, 0, 8), name);
                assertEquals(ref.get("first_block_hex").textValue(), HEX.formatHex(blocks, 0, block), name);
                assertEquals(ref.get("second_row_first_block_hex").textValue(),
                        HEX.formatHex(blocks, secondRow, secondRow + block), name);
                assertEquals(ref.get("sha256_all_blocks").textValue(), HEX.formatHex(sha256(blocks)), name);

                float[] deq = q.dequantize();
                JsonNode firstBlock = ref.get("first_block_dequantized");
                for (int j = 0; j < 32; j++) {
                    assertEquals((float) firstBlock.get(j).doubleValue(), deq[j], 0f, name + " dequantized [" + j + "]");
                }
                QuantizationError error = QuantizationError.of(w, deq);
                assertRelative(ref.get("frobenius_error").doubleValue(), error.frobeniusError(), 1e-6, name);
                assertRelative(ref.get("relative_frobenius_error").doubleValue(), error.relativeError(), 1e-6, name);
                assertRelative(ref.get("max_abs_error").doubleValue(), error.maxAbsError(), 1e-6, name);
            }
        }
    }

    @Test
    void frobeniusErrorsOfAllLinearsMatch() {
        JsonNode all = REFERENCE.get("frobenius_error_all_linears");
        assertEquals(42, all.size());
        try (ModelSource model = ModelSource.open(Fixtures.path("tiny-llama"))) {
            for (Map.Entry<String, JsonNode> e : all.properties()) {
                var ref = model.catalogue().byName(e.getKey());
                float[] w = model.tensors().readFloats(ref.name());
                for (QuantScheme scheme : QuantScheme.values()) {
                    float[] deq = scheme.quantize(w, ref.rows(), ref.cols()).dequantize();
                    assertRelative(e.getValue().get(scheme.ggmlName()).doubleValue(),
                            QuantizationError.of(w, deq).frobeniusError(), 1e-6, e.getKey() + " " + scheme);
                }
            }
        }
    }

    static byte[] littleEndian(float[] values) {
        byte[] out = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < 4; b++) {
                out[4 * i + b] = (byte) (bits >>> (8 * b));
            }
        }
        return out;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
