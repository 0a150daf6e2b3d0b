package dev.lasermesh.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorInfo;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lora merge} of the tiny-llama-lora fixture against its {@code merged/} folder (computed
 * outside the project by {@code tools/lora_reference.py}). Tolerance from the fixture's README:
 * |W'_project − W'_fixture| ≤ 3e-8 absolute per element (bit-exact expected from a float64 merge
 * rounded once; the number of differing elements is printed); every other tensor byte for byte.
 */
class LoraMergeFixtureTest {

    private static final double TOLERANCE = 3e-8;

    @Test
    void theAdapterAdaptsTheSevenMatricesOfEveryLayerInCatalogueOrder() {
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama"));
             LoraAdapter adapter = LoraAdapter.open(Fixtures.path("tiny-llama-lora"))) {
            List<AdaptedMatrix> adapted = adapter.resolve(base);
            assertEquals(42, adapted.size());
            assertEquals(base.catalogue().defaultSelection(), adapted.stream().map(AdaptedMatrix::matrix).toList());
            assertEquals("base_model.model.model.layers.5.mlp.down_proj.lora_B.weight", adapted.get(41).loraB());
            assertEquals(2.0, adapter.config().scaling());
        }
    }

    @Test
    void mergedModelEqualsTheFixture(@TempDir Path out) {
        Path target = out.resolve("merged");
        LoraMergeReport report;
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama"));
             LoraAdapter adapter = LoraAdapter.open(Fixtures.path("tiny-llama-lora"))) {
            report = LoraModelWriter.write(new BaseWeights(base, BaseQuantization.NONE), adapter, adapter.resolve(base),
                    target, (done, total, name) -> { });
        }
        assertEquals(42, report.merged().size());
        assertTrue(report.quantizedOnly().isEmpty());
        Set<String> adapted = Set.copyOf(report.merged());
        long differing = 0;
        double largest = 0;
        try (SafetensorsFile ours = SafetensorsFile.open(target.resolve("model.safetensors"));
             SafetensorsFile fixture = SafetensorsFile.open(Fixtures.path("tiny-llama-lora/merged/model.safetensors"))) {
            assertEquals(fixture.tensors().stream().map(TensorInfo::name).toList(),
                    ours.tensors().stream().map(TensorInfo::name).toList());
            for (TensorInfo t : fixture.tensors()) {
                assertArrayEquals(t.shape(), ours.info(t.name()).shape(), t.name());
                assertEquals(t.dtype(), ours.info(t.name()).dtype(), t.name());
                if (!adapted.contains(t.name())) {
                    assertArrayEquals(fixture.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE),
                            ours.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE), t.name());
                    continue;
                }
                float[] expected = fixture.readFloats(t.name());
                float[] actual = ours.readFloats(t.name());
                for (int i = 0; i < expected.length; i++) {
                    double diff = Math.abs((double) actual[i] - expected[i]);
                    assertTrue(diff <= TOLERANCE, t.name() + "[" + i + "]: " + actual[i] + " vs " + expected[i]);
                    largest = Math.max(largest, diff);
                    differing += Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i]) ? 1 : 0;
                }
            }
        }
        System.out.printf("merge vs fixture: %d of 4,423,680 adapted elements differ, largest difference %.3g%n",
                differing, largest);
        Set<String> copied;
        try (var files = Files.list(target)) {
            copied = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(copied.containsAll(Set.of("config.json", "tokenizer.json", ReducedModelWriter.REPORT_FILE)), copied.toString());
    }

    /**
     * QLoRA: with an NF4 base, every merged element minus s·(B·A) (computed here from the adapter's
     * tensors) is level·absmax, where absmax is the float32 absmax of its block of 64 consecutive base
     * weights and level the NF4 level nearest to W/absmax (exhaustive search over DESIGN §7.3's table,
     * ties to the higher level). Tolerance 3e-8 absolute: one float32 rounding of W' (|W'| &lt; 0.5).
     */
    @Test
    void anNf4BaseIsQuantizedBlockwiseBeforeTheUpdateIsAdded(@TempDir Path out) {
        String name = "model.layers.5.mlp.down_proj.weight";
        String prefix = "base_model.model.model.layers.5.mlp.down_proj";
        Path target = out.resolve("qlora");
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama"));
             LoraAdapter adapter = LoraAdapter.open(Fixtures.path("tiny-llama-lora"))) {
            LoraMergeReport report = LoraModelWriter.write(new BaseWeights(base, BaseQuantization.NF4), adapter,
                    adapter.resolve(base), target, (done, total, n) -> { });
            assertEquals("nf4", report.baseQuant());
            assertTrue(report.quantizedOnly().isEmpty(), "the adapter covers every decoder-layer linear");
        }
        float[] w;
        float[] a;
        float[] b;
        float[] merged;
        try (SafetensorsFile base = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"));
             SafetensorsFile factors = SafetensorsFile.open(Fixtures.path("tiny-llama-lora/adapter_model.safetensors"));
             SafetensorsFile ours = SafetensorsFile.open(target.resolve("model.safetensors"))) {
            w = base.readFloats(name);
            a = factors.readFloats(prefix + ".lora_A.weight");
            b = factors.readFloats(prefix + ".lora_B.weight");
            merged = ours.readFloats(name);
        }
        double[] levels = {-1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
                -0.18477343022823334, -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725,
                0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
                0.7229568362236023, 1};
        int rows = 256;
        int cols = 704;
        int changed = 0;
        for (int i = 0; i < rows * cols; i++) {
            int from = i / 64 * 64;
            float absmax = 0;
            for (int j = from; j < from + 64; j++) {
                absmax = Math.max(absmax, Math.abs(w[j]));
            }
            double x = w[i] / absmax;
            int best = 0;
            for (int l = 1; l < 16; l++) {
                if (Math.abs(x - (float) levels[l]) <= Math.abs(x - (float) levels[best])) {
                    best = l;
                }
            }
            double delta = 0;
            for (int l = 0; l < 8; l++) {
                delta += (double) b[i / cols * 8 + l] * a[l * cols + i % cols];
            }
            double expected = (float) levels[best] * absmax + 2 * delta;
            assertTrue(Math.abs(merged[i] - expected) <= 3e-8, name + "[" + i + "]: " + merged[i] + " vs " + expected);
            changed += Math.abs(merged[i] - (w[i] + 2 * delta)) > 3e-8 ? 1 : 0;
        }
        assertTrue(changed > rows * cols / 2, "NF4 moves most weights: " + changed);
    }
}
