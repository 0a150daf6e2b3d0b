package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through SafetensorsWriter and SafetensorsFile, and the layout rules of the written file. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    private static final float[] VALUES = {1f, -2.5f, 0.1f, 1f + 0x1p-8f, 3.4e38f, 65519.99f, 1e-8f, Float.NaN};

    @Test
    void newValuesReadBackAsTheirRoundToNearestEvenEncoding() {
        Path file = dir.resolve("out.safetensors");
        double[] doubles = {Math.PI, -Math.E, 1e-300, 1.0 + 0x1p-8 + 0x1p-40};
        new SafetensorsWriter(file)
                .put("f32", DType.F32, new long[] {2, 4}, VALUES)
                .put("bf16", DType.BF16, new long[] {8}, VALUES)
                .put("f16", DType.F16, new long[] {4, 2}, VALUES)
                .put("f64", DType.F64, new long[] {4}, doubles)
                .put("bf16-from-doubles", DType.BF16, new long[] {2, 2}, doubles)
                .write();
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            float[] f32 = read.readFloats("f32");
            float[] bf16 = read.readFloats("bf16");
            float[] f16 = read.readFloats("f16");
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(Float.floatToIntBits(VALUES[i]), Float.floatToIntBits(f32[i]));
                assertEquals(TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(VALUES[i])), bf16[i]);
                assertEquals(TensorCodec.f16ToFloat(TensorCodec.floatToF16(VALUES[i])), f16[i]);
            }
            assertEquals(Float.POSITIVE_INFINITY, bf16[4], "3.4e38 exceeds the midpoint above the largest bf16, 3.3895e38");
            assertEquals(1f, bf16[3], "tie to even");
            assertEquals(65504f, f16[5]);
            assertArrayEquals(doubles, read.readDoubles("f64"));
            float[] fromDoubles = read.readFloats("bf16-from-doubles");
            assertEquals(1f, fromDoubles[3], "double rounded to float32 first, then a tie to even");
            assertEquals(3.140625f, fromDoubles[0]);
            assertArrayEquals(new long[] {2, 2}, read.info("bf16-from-doubles").shape());
        }
    }

    @Test
    void headerIsPaddedAndOffsetsAreContiguousInOrder() throws IOException {
        Path file = dir.resolve("out.safetensors");
        long dataBytes = new SafetensorsWriter(file).metadata(Map.of("format", "pt"))
                .put("b", DType.BF16, new long[] {3}, new float[] {1, 2, 3})
                .put("a", DType.F32, new long[] {1, 2}, new float[] {4, 5})
                .put("c", DType.F16, new long[] {1}, new float[] {6})
                .write();
        assertEquals(6 + 8 + 2, dataBytes);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(0, read.header().dataStart() % 8, "data section starts 8-byte aligned");
            assertEquals(read.header().dataStart() + dataBytes, Files.size(file));
            List<TensorInfo> tensors = read.tensors();
            assertEquals(List.of("b", "a", "c"), tensors.stream().map(TensorInfo::name).toList());
            assertEquals(List.of(0L, 6L, 14L), tensors.stream().map(TensorInfo::begin).toList());
            assertEquals(List.of(6L, 14L, 16L), tensors.stream().map(TensorInfo::end).toList());
            assertEquals(Map.of("format", "pt"), read.metadata());
            byte[] raw = Files.readAllBytes(file);
            String header = new String(raw, 8, (int) read.header().dataStart() - 8, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"b\":"), header);
            assertTrue(header.stripTrailing().endsWith("}"), header);
            assertTrue(header.substring(header.stripTrailing().length()).isBlank(), "padding is spaces");
        }
    }

    @Test
    void copiedTensorsAreByteIdentical() {
        Path file = dir.resolve("copy.safetensors");
        try (SafetensorsFile source = SafetensorsFile.open(Fixtures.path("tiny-llama/model-bf16/model.safetensors"))) {
            SafetensorsWriter writer = new SafetensorsWriter(file).metadata(source.metadata());
            source.tensors().forEach(t -> writer.copy(source, t.name()));
            writer.write();
            try (SafetensorsFile copy = SafetensorsFile.open(file)) {
                assertEquals(source.tensors().stream().map(TensorInfo::name).toList(),
                        copy.tensors().stream().map(TensorInfo::name).toList());
                assertEquals(source.metadata(), copy.metadata());
                for (TensorInfo t : source.tensors()) {
                    assertEquals(-1L, source.bytes(t.name()).mismatch(copy.bytes(t.name())), t.name());
                    assertEquals(t.dtype(), copy.info(t.name()).dtype());
                    assertArrayEquals(t.shape(), copy.info(t.name()).shape());
                }
            }
        }
    }

    @Test
    void valuesProducedBlockByBlockAreWrittenInOrder() {
        Path file = dir.resolve("blocks.safetensors");
        int n = 3_000_000;
        new SafetensorsWriter(file).put("w", DType.F32, new long[] {n}, sink -> {
            float[] block = new float[70_001];
            for (int start = 0; start < n; start += block.length) {
                int count = Math.min(block.length, n - start);
                for (int i = 0; i < count; i++) {
                    block[i] = start + i;
                }
                sink.floats(block, 0, count);
            }
        }).write();
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            float[] w = read.readFloats("w");
            for (int i = 0; i < n; i += 9_973) {
                assertEquals((float) i, w[i]);
            }
            assertEquals((float) (n - 1), w[n - 1]);
        }
    }

    @Test
    void aValueCountThatDoesNotMatchTheShapeLeavesNoFile() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter(file)
                .put("w", DType.F32, new long[] {4}, sink -> sink.floats(new float[3], 0, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, writer::write);
        assertTrue(e.getMessage().contains("\"w\"") && e.getMessage().contains("3 values"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "neither the target nor the temporary file remains");
        }
    }

    @Test
    void arraysOfTheWrongLengthAndDuplicateNamesAreRejected() {
        SafetensorsWriter writer = new SafetensorsWriter(dir.resolve("x.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.put("w", DType.F32, new long[] {2, 2}, new float[3]));
        assertTrue(e.getMessage().contains("needs 4"), e.getMessage());
        writer.put("w", DType.F32, new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> writer.put("w", DType.F32, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> writer.put("__metadata__", DType.F32, new long[] {1}, new float[1]));
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
    }

    @Test
    void rewritingReplacesTheFileAtomically() {
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter(file).put("w", DType.F32, new long[] {1}, new float[] {1}).write();
        new SafetensorsWriter(file).put("w", DType.F32, new long[] {1}, new float[] {2}).write();
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(2f, read.readFloats("w")[0]);
        }
    }

    @Test
    void rawHeaderBytesParseBack() {
        byte[] encoded = SafetensorsHeader.encode(List.of(new TensorInfo("x", DType.F16, new long[] {2}, 0, 4)),
                Map.of());
        assertEquals(0, encoded.length % 8);
        byte[] file = new byte[encoded.length + 4];
        System.arraycopy(encoded, 0, file, 0, encoded.length);
        SafetensorsHeader header = SafetensorsHeader.parse("mem", MemorySegment.ofArray(file));
        assertEquals(List.of(new TensorInfo("x", DType.F16, new long[] {2}, 0, 4)), header.tensors());
        assertEquals(Map.of(), header.metadata());
        assertEquals(encoded.length, header.dataStart());
    }
}
