package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * BF16 rounding against NumPy's: {@code spectra/planted-r24-640x256-bf16.safetensors} is the float32
 * matrix of {@code planted-r24-640x256.safetensors} rounded to nearest even by {@code make_spectra.py}.
 */
class FixtureRoundingTest {

    @Test
    void bfloat16OfEveryFloat32ElementMatchesTheFixture() {
        SafetensorsTestFile.Tensor f32 = SafetensorsTestFile.read(
                Fixtures.path("spectra/planted-r24-640x256.safetensors"), "weight");
        SafetensorsTestFile.Tensor bf16 = SafetensorsTestFile.read(
                Fixtures.path("spectra/planted-r24-640x256-bf16.safetensors"), "weight");
        assertEquals("F32", f32.dtype());
        assertEquals("BF16", bf16.dtype());
        int count = f32.rows() * f32.cols();
        assertEquals(640 * 256, count);
        for (int i = 0; i < count; i++) {
            float value = f32.data().getFloat(4 * i);
            float expected = Float.intBitsToFloat((bf16.data().getShort(2 * i) & 0xFFFF) << 16);
            assertEquals(expected, DTypeRounding.round(value, DType.BF16), 0, "element " + i + " = " + value);
        }
    }
}
