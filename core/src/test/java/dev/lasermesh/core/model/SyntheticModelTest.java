package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.ShardIndex;
import dev.lasermesh.core.tensor.ShardedSafetensors;
import dev.lasermesh.core.tensor.TensorCodec;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic Llama-shaped models: a loadable folder, sharding, reproducible Gaussian weights. */
class SyntheticModelTest {

    @TempDir
    Path dir;

    private static final SyntheticModel SMALL = new SyntheticModel(64, 32, 48, 3, 4, 2, false, DType.BF16, 7);

    private static float[] expectedValues(SyntheticModel model, String name) {
        float[] out = new float[Math.toIntExact(Arrays.stream(model.shapes().get(name)).reduce(1, Math::multiplyExact))];
        model.values(name).emit(new TensorValues.Sink() {
            int next;

            @Override
            public void floats(float[] block, int from, int count) {
                for (int i = 0; i < count; i++) {
                    out[next++] = TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(block[from + i]));
                }
            }

            @Override
            public void doubles(double[] block, int from, int count) {
                throw new AssertionError("the generator produces floats");
            }
        });
        return out;
    }

    @Test
    void smolLm2ShapeHasItsPublishedParameterCount() {
        SyntheticModel smol = SyntheticModel.smolLm2_135M(DType.BF16, 1);
        assertEquals(134_515_008L, smol.parameterCount(), "SmolLM2-135M's parameter count");
        assertEquals(64, smol.headDim());
        assertEquals(2 * 134_515_008L, smol.dataBytes());
    }

    @Test
    void shardedFolderOpensAsAValidLlamaModel() {
        Path folder = SMALL.write(dir.resolve("m"), 20_000);
        assertTrue(Files.isRegularFile(folder.resolve(ShardIndex.FILE_NAME)));
        try (ModelSource m = ModelSource.open(folder)) {
            assertTrue(m.tensors() instanceof ShardedSafetensors s && s.shards().size() > 2);
            assertEquals(1 + 3 * 7 + 1, m.catalogue().matrices().size());
            assertEquals(SMALL.config(folder.resolve("config.json")), m.decoderConfig());
            assertEquals(SMALL.parameterCount(),
                    m.tensors().tensors().stream().mapToLong(TensorInfo::elementCount).sum());
            for (TensorInfo t : m.tensors().tensors()) {
                assertEquals(DType.BF16, t.dtype());
                assertArrayEquals(expectedValues(SMALL, t.name()), m.tensors().readFloats(t.name()), t.name());
                if (t.rank() == 1) {
                    for (float v : m.tensors().readFloats(t.name())) {
                        assertEquals(1f, v, t.name());
                    }
                }
            }
        }
    }

    @Test
    void matricesHaveTheInitialisationStandardDeviation() {
        SyntheticModel wide = new SyntheticModel(512, 256, 512, 1, 4, 4, true, DType.F32, 3);
        Path folder = wide.write(dir.resolve("w"), Long.MAX_VALUE);
        assertFalse(Files.exists(folder.resolve(ShardIndex.FILE_NAME)));
        try (ModelSource m = ModelSource.open(folder)) {
            assertTrue(m.catalogue().lmHeadTied());
            for (MatrixRef ref : m.catalogue().matrices()) {
                double sum = 0;
                double squares = 0;
                for (double v : m.readMatrix(ref).data()) {
                    sum += v;
                    squares += v * v;
                }
                long n = ref.elementCount();
                double std = Math.sqrt(squares / n);
                assertEquals(SyntheticModel.WEIGHT_STD, std, 0.02 * 6 / Math.sqrt(2.0 * n), ref.name());
                assertEquals(0, sum / n, 0.02 * 6 / Math.sqrt(n), ref.name());
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherValues() throws Exception {
        Path a = SMALL.write(dir.resolve("a"), Long.MAX_VALUE);
        Path b = SMALL.write(dir.resolve("b"), Long.MAX_VALUE);
        assertEquals(-1L, Files.mismatch(a.resolve("model.safetensors"), b.resolve("model.safetensors")));
        SyntheticModel other = new SyntheticModel(64, 32, 48, 3, 4, 2, false, DType.BF16, 8);
        assertNotEquals(expectedValues(SMALL, "lm_head.weight")[0], expectedValues(other, "lm_head.weight")[0]);
    }

    @Test
    void inconsistentHeadsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticModel(64, 30, 48, 3, 4, 2, false, DType.F32, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticModel(64, 32, 48, 3, 4, 3, false, DType.F32, 1));
        assertThrows(IllegalArgumentException.class, () -> SMALL.values("model.layers.9.mlp.up_proj.weight"));
    }
}
