package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening models by folder or file, with and without config.json. */
class ModelSourceTest {

    @TempDir
    Path dir;

    @Test
    void folderWithConfigHasAnArchitectureCatalogue() {
        try (ModelSource m = ModelSource.open(Fixtures.path("tiny-llama"))) {
            assertEquals("llama", m.decoderConfig().modelType());
            assertTrue(m.catalogue().architectureKnown());
            assertEquals(57, m.tensors().tensors().size());
        }
    }

    @Test
    void theFolderWeightsFileOpensAsTheFolder() {
        try (ModelSource m = ModelSource.open(Fixtures.path("stories260K/model.safetensors"))) {
            assertTrue(m.config().isPresent());
            assertTrue(m.catalogue().lmHeadTied());
        }
    }

    @Test
    void fileWithoutConfigIsABagOfMatrices() {
        try (ModelSource m = ModelSource.open(Fixtures.path("spectra/planted-r8-300x700.safetensors"))) {
            assertFalse(m.config().isPresent());
            MatrixRef w = m.catalogue().byName("weight");
            assertEquals(300, w.rows());
            assertEquals(700, w.cols());
            DenseMatrix matrix = m.readMatrix(w);
            assertEquals(300, matrix.rows());
            assertEquals(m.tensors().readFloats("weight")[701], (float) matrix.get(1, 1));
        }
    }

    @Test
    void folderWithoutWeightsOrPathThatDoesNotExist() {
        TensorFormatException noWeights = assertThrows(TensorFormatException.class,
                () -> ModelSource.open(Fixtures.path("spectra")));
        assertTrue(noWeights.getMessage().contains("neither"), noWeights.getMessage());
        Path absent = dir.resolve("missing-model");
        TensorFormatException missing = assertThrows(TensorFormatException.class, () -> ModelSource.open(absent));
        assertTrue(missing.getMessage().contains(absent.toString()), missing.getMessage());
    }

    @Test
    void nonFiniteWeightsAreReportedWithTheirPosition() {
        Path file = dir.resolve("nan.safetensors");
        new SafetensorsWriter(file).put("w", DType.BF16, new long[] {2, 3},
                new float[] {0, 1, 2, 3, Float.NaN, 5}).write();
        try (ModelSource m = ModelSource.open(file)) {
            TensorFormatException e = assertThrows(TensorFormatException.class,
                    () -> m.readMatrix(m.catalogue().byName("w")));
            assertTrue(e.getMessage().contains("\"w\" has NaN at [1, 1]"), e.getMessage());
        }
    }
}
