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
}
