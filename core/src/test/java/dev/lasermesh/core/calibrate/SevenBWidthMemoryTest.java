package dev.lasermesh.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's memory bound at a 7B model's width, each part in a child JVM whose {@code -Xmx} is the
 * stated bound ({@link ChildJvm}; the child dies of OutOfMemoryError above it). The matrix is
 * Mistral-7B's / Llama-3-8B's mlp.down_proj, W 4096 out × 14336 in, whose float64 XᵀX is 1.64 GB.
 *
 * <p><b>Calibration</b> at the full width 14336: the statistics are the packed upper triangle of the
 * accumulator and its low parts, 2·8·14336·14337/2 bytes = 1568 MiB, and nothing else of that size: a
 * window's XᵀX arrives a band of 64 rows (7 MiB) at a time ({@link DoubleKernels#gramUpperRows}), the store
 * writes from the arrays in chunks and reads back into arrays of their size. Bound: 1568 MiB + 256 MiB.
 * (Before the blocked Gram, each window also held its whole XᵀX on the heap and in native memory, 1.64 GB
 * more of each; before the packing, the accumulator was square, 3136 MiB.)
 *
 * <p><b>Whitening</b> holds C and S (n × n each), W, W·S and the factors (m × n each) and, when the
 * top-k route falls back to a thin SVD, U (m × m): heap ≤ 8·(2n² + 3mn + m²) bytes + 128 MiB, 4.9 GB at
 * m = 4096, n = 14336. At that size it is too slow for a test: measured phase by phase at 4096 × 11008
 * on the 2-core project machine (load average 6–9, one thread) dpotrf took 12.9 s, the triangular product
 * 14.4 s, the spectrum 10.0 s, the top-1024 triplets 25.1 s and the solve 4.5 s (67 s); at n = 14336
 * dpotrf grows by (14336/11008)³ = 2.2 and the product by 1.7, about 100 s, and building an SPD XᵀX of
 * that width (14464 rows) costs as much again. So the test whitens at m = n = 4096 under the same formula
 * (896 MiB): what scales with n² and m·n is the same code path, and the bound is checked, not the speed. The child also checks that the activation error of the rank-k
 * W_k equals √(Σ_{i>k} σ_i² / Σ σ_i²) over the singular values of W·S (SVD-LLM's Theorem 3.2).
 */
class SevenBWidthMemoryTest {

    private static final long MIB = 1L << 20;

    @Test
    void statisticsOfA14336WideInputFitInTheirAccumulator(@TempDir Path dir) throws Exception {
        int width = 14336;
        long heap = 2L * Double.BYTES * InputStatistics.packedLength(width) / MIB + 256;
        ChildJvm.Result r = ChildJvm.run(heap, SevenBWidthChild.class, dir.resolve("calibrate.log"), 10, "calibrate",
                Integer.toString(width), "128", dir.resolve("calibration").toString());
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), "-Xmx" + heap + "m:\n" + r.output());
    }

    @Test
    void whiteningFitsEightTimesTwoNSquaredPlusThreeMNPlusMSquared(@TempDir Path dir) throws Exception {
        long m = 4096;
        long n = 4096;
        long heap = Double.BYTES * (2 * n * n + 3 * m * n + m * m) / MIB + 128;
        ChildJvm.Result r = ChildJvm.run(heap, SevenBWidthChild.class, dir.resolve("whiten.log"), 10, "whiten",
                Long.toString(m), Long.toString(n), "64");
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), "-Xmx" + heap + "m:\n" + r.output());
    }
}
