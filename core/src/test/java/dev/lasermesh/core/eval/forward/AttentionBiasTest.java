package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen2-style q/k/v biases on stories260K's weights. No fixture has biases, so two identities are
 * checked: zero biases change nothing (bit for bit), and a value bias b equals an output bias W_o·b,
 * because each softmax row sums to 1: Σ_j p_j (v_j + b) = Σ_j p_j v_j + b.
 */
class AttentionBiasTest {

    private static final int[] IDS = {1, 45, 300, 13, 7, 99, 256, 400, 2, 17, 88, 301};

    /** stories260K as model_type qwen2, with extra tensors from {@code extra(name, shape)}. */
    private static Path qwen2(Path dir, BiFunction<String, Integer, float[]> extra) throws IOException {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Fixtures.path("stories260K/config.json").toFile());
        c.put("model_type", "qwen2").putArray("architectures").add("Qwen2ForCausalLM");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), c.toString());
        try (TensorSource base = TensorSources.open(Fixtures.path("stories260K"))) {
            SafetensorsWriter w = new SafetensorsWriter(dir.resolve("model.safetensors"));
            for (TensorInfo t : base.tensors()) {
                w.copy(base, t.name());
            }
            for (int l = 0; l < 5; l++) {
                for (String m : new String[] {"q", "k", "v", "o"}) {
                    String name = "model.layers." + l + ".self_attn." + m + "_proj.bias";
                    int size = m.equals("q") || m.equals("o") ? 64 : 32;
                    float[] values = extra.apply(name, size);
                    if (values != null) {
                        w.put(name, DType.F32, new long[] {size}, values);
                    }
                }
            }
            w.write();
        }
        return dir;
    }

    private static float[] logits(Path folder) {
        try (TensorSource s = TensorSources.open(folder)) {
            DecoderWeights w = DecoderWeights.bind(ModelConfig.read(folder.resolve("config.json")), s);
            return DecoderForward.logits(w.baseState(), IDS, 1);
        }
    }

    @Test
    void zeroBiasesLeaveTheLogitsUnchanged(@TempDir Path dir) throws IOException {
        Path zero = qwen2(dir.resolve("zero"), (name, size) -> name.contains("o_proj") ? null : new float[size]);
        try (LoadedModel plain = LoadedModel.fixture("stories260K")) {
            assertArrayEquals(DecoderForward.logits(plain.base(), IDS, 1), logits(zero));
        }
    }

    @Test
    void aValueBiasEqualsTheOutputBiasItProjectsTo(@TempDir Path dir) throws IOException {
        Random r = new Random(3);
        Map<Integer, float[]> vBias = new HashMap<>();
        Path withV = qwen2(dir.resolve("v"), (name, size) -> {
            if (name.contains("o_proj")) {
                return null;
            }
            float[] b = new float[size];
            if (name.contains("v_proj")) {
                for (int i = 0; i < size; i++) {
                    b[i] = (float) r.nextGaussian();
                }
                vBias.put(Integer.parseInt(name.split("\\.")[2]), b);
            }
            return b;
        });
        Path withO;
        try (TensorSource base = TensorSources.open(Fixtures.path("stories260K"))) {
            withO = qwen2(dir.resolve("o"), (name, size) -> {
                int layer = Integer.parseInt(name.split("\\.")[2]);
                if (!name.contains("o_proj")) {
                    return new float[size];
                }
                float[] wo = base.readFloats("model.layers." + layer + ".self_attn.o_proj.weight");
                float[] b = vBias.get(layer);
                float[] out = new float[64];
                for (int i = 0; i < 64; i++) {
                    double s = 0;
                    for (int h = 0; h < 8; h++) {
                        for (int d = 0; d < 8; d++) {
                            s += (double) wo[i * 64 + h * 8 + d] * b[(h / 2) * 8 + d];
                        }
                    }
                    out[i] = (float) s;
                }
                return out;
            });
        }
        float[] a = logits(withV);
        float[] b = logits(withO);
        float[] plain;
        try (LoadedModel m = LoadedModel.fixture("stories260K")) {
            plain = DecoderForward.logits(m.base(), IDS, 1);
        }
        double worst = 0;
        double shift = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            shift = Math.max(shift, Math.abs(a[i] - plain[i]));
        }
        assertTrue(shift > 0.1, "the bias should change the logits, max change " + shift);
        assertTrue(worst < 1e-4, "v-bias vs o-bias logits differ by " + worst);
    }
}
