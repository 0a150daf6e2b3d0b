package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.tensor.DType;
import org.junit.jupiter.api.Test;

/** Hand-computed counts. */
class StorageAccountingTest {

    /** 4096² at k = 2048: 2048·8192 = 16,777,216 = 4096², the break-even rank itself saves nothing. */
    @Test
    void squareMatrixAtTheBreakEvenRank() {
        StorageAccounting s = StorageAccounting.of(4096, 4096, 2048, DType.BF16);
        assertEquals(16_777_216L, s.denseParameters());
        assertEquals(16_777_216L, s.factoredParameters());
        assertEquals(33_554_432L, s.denseBytes());
        assertEquals(33_554_432L, s.factoredBytes());
        assertEquals(2048, s.breakEvenRank());
        assertFalse(s.factoredSavesMemory());
        assertTrue(StorageAccounting.of(4096, 4096, 2047, DType.BF16).factoredSavesMemory());
    }

    /** Llama-7B MLP shape: 4096·11008 = 45,088,768; 100·15104 = 1,510,400; break-even ⌊2985.2⌋. */
    @Test
    void rectangularMatrixInFloat32() {
        StorageAccounting s = StorageAccounting.of(4096, 11008, 100, DType.F32);
        assertEquals(45_088_768L, s.denseParameters());
        assertEquals(1_510_400L, s.factoredParameters());
        assertEquals(180_355_072L, s.denseBytes());
        assertEquals(6_041_600L, s.factoredBytes());
        assertEquals(2985, s.breakEvenRank());
        assertTrue(s.factoredSavesMemory());
    }

    /** 8×32: 256 numbers; k = 6 → 240 (saves), k = 7 → 280 (does not); break-even ⌊6.4⌋ = 6. */
    @Test
    void smallMatrixAroundTheBreakEven() {
        StorageAccounting six = StorageAccounting.of(8, 32, 6, DType.F16);
        assertEquals(240L, six.factoredParameters());
        assertEquals(480L, six.factoredBytes());
        assertEquals(512L, six.denseBytes());
        assertEquals(6, six.breakEvenRank());
        assertTrue(six.factoredSavesMemory());
        assertFalse(StorageAccounting.of(8, 32, 7, DType.F16).factoredSavesMemory());
    }

    /** A vocabulary-sized matrix overflows int bytes: 151,936 × 8192 × 4 = 4,978,638,848. */
    @Test
    void countsAreLong() {
        assertEquals(4_978_638_848L, StorageAccounting.of(151_936, 8192, 0, DType.F32).denseBytes());
        assertEquals(0L, StorageAccounting.of(151_936, 8192, 0, DType.F32).factoredParameters());
    }

    @Test
    void rankOutsideTheMatrixIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageAccounting.of(8, 32, 9, DType.F32));
        assertEquals("rank 9 outside [0, 8] for a 8x32 matrix", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StorageAccounting.of(0, 32, 0, DType.F32));
    }
}
