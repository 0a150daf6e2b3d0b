package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotary frequencies, with and without Llama 3 scaling. The scaled values were computed with NumPy
 * from a transcription of transformers' {@code _compute_llama3_parameters} (theta 500000, head_dim 16,
 * factor 8, low 1, high 4, original context 64: one frequency kept, one interpolated, six divided).
 */
class RotaryTableTest {

    private static ModelConfig config(Path dir, String ropeScaling) throws IOException {
        String json = """
                {"model_type": "llama", "vocab_size": 10, "hidden_size": 32, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "rope_theta": 500000.0, "rope_scaling": %s}
                """.formatted(ropeScaling);
        return ModelConfig.read(Files.writeString(dir.resolve("config.json"), json));
    }

    @Test
    void llama3ScalingMatchesTransformers(@TempDir Path dir) throws IOException {
        ModelConfig c = config(dir, """
                {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                 "original_max_position_embeddings": 64}""");
        double[] expected = {1.0, 0.0794030091792082, 0.004700753866357992, 0.0009115830921521386,
                0.00017677669529663688, 3.428102195952591e-05, 6.647869871181236e-06, 1.2891731721515574e-06};
        double[] actual = RotaryTable.inverseFrequencies(c);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-14 * expected[j], "frequency " + j);
        }
    }

    @Test
    void rotatesEachHalfPairByPositionTimesFrequency(@TempDir Path dir) throws IOException {
        ModelConfig c = config(dir, "null");
        RotaryTable table = RotaryTable.of(c, 4);
        float[] x = new float[4 * 2 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3f;
        }
        float[] rotated = x.clone();
        table.apply(rotated, 4, 2);
        int p = 3;
        int head = 1;
        int j = 2;
        int base = p * 32 + head * 16;
        double angle = p * Math.pow(500000.0, -2.0 * j / 16);
        double a = x[base + j];
        double b = x[base + j + 8];
        assertEquals(a * Math.cos(angle) - b * Math.sin(angle), rotated[base + j], 1e-6);
        assertEquals(b * Math.cos(angle) + a * Math.sin(angle), rotated[base + j + 8], 1e-6);
    }
}
