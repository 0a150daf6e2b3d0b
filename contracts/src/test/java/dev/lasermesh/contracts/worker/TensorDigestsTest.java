package dev.lasermesh.contracts.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorDigestsTest {

    @TempDir
    Path dir;

    /** Python: hashlib.sha256(struct.pack('<3f', 1.0, -2.5, 0.1)).hexdigest(). */
    @Test
    void float32ValuesHashAsTheirLittleEndianBytes() {
        String expected = "2f9cc761bc2594fa578868daeedc59b0fc115513fae3e5dc09c4e86e50b8aaf6";
        assertEquals(expected, TensorDigests.sha256(new double[] {1.0, -2.5, 0.1}, DType.F32));
        assertEquals(expected, TensorDigests.sha256(MemorySegment.ofArray(new byte[] {
                0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0, (byte) 0xcd, (byte) 0xcc, (byte) 0xcc, 0x3d})));
    }

    /** More values than one encoding block, in every dtype: the digest is that of the bytes the writer stores. */
    @Test
    void digestOfValuesEqualsDigestOfTheWrittenTensor() {
        double[] values = new Random(7).doubles(150_001, -3, 3).toArray();
        for (DType dtype : DType.values()) {
            Path file = dir.resolve(dtype + ".safetensors");
            new SafetensorsWriter(file).put("w", dtype, new long[] {values.length}, values).write();
            try (TensorSource source = TensorSources.open(file)) {
                assertEquals(TensorDigests.sha256(source.bytes("w")), TensorDigests.sha256(values, dtype), dtype.name());
            }
        }
    }

    @Test
    void oneChangedValueChangesTheDigest() {
        double[] values = {0.5, 0.25, 0.125};
        String before = TensorDigests.sha256(values, DType.BF16);
        values[1] = 0.375;
        assertNotEquals(before, TensorDigests.sha256(values, DType.BF16));
    }
}
