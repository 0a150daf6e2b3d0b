package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = L·diag(s)·R in float64 for the low-rank products of truncation (U_k·diag(S_k)·V_kᵀ, A·B):
 * a blocked, packed matrix product in the manner of GotoBLAS (K. Goto, R. van de Geijn, "Anatomy of
 * High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008) with a Vector API micro-kernel.
 *
 * <p>For each block of {@value #NC} columns and {@value #KC} inner indices, the block of R is packed
 * into panels of {@code NR} columns; blocks of {@value #MC} rows of L (scaled by s while packing) are
 * packed into panels of {@value #MR} rows and processed in parallel, each MR × NR tile of C being
 * accumulated in vector registers. Row blocks write disjoint rows of C and the summation order over
 * the inner index is fixed, so the result does not depend on the thread count. Each element's sum
 * depends only on its row of L, its column of R and the blocks of {@value #KC} inner indices, so a
 * block of rows of L gives the same rows of C bit for bit as the whole of L.
 */
public final class MatrixProduct {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int MR = 4;
    private static final int NR = 2 * LANES;
    private static final int KC = 256;
    private static final int MC = 64;
    private static final int NC = 1024;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 22;

    private MatrixProduct() {
    }

    /**
     * C[i][j] = Σ_{l&lt;depth} L[i][l]·s[l]·R[l][j]: the first {@code depth} columns of {@code left}
     * and rows of {@code right} are used.
     *
     * @param scale depth factors s, or {@code null} for all ones
     */
    public static DenseMatrix multiply(DenseMatrix left, double[] scale, DenseMatrix right, int depth) {
        if (depth < 0 || depth > left.cols() || depth > right.rows() || (scale != null && scale.length < depth)) {
            throw new IllegalArgumentException("cannot multiply " + left + " by " + right + " over " + depth
                    + " inner indices");
        }
        int rows = left.rows();
        int cols = right.cols();
        double[] c = new double[Math.multiplyExact(rows, cols)];
        if (depth == 0 || rows == 0 || cols == 0) {
            return new DenseMatrix(rows, cols, c);
        }
        boolean parallel = (long) rows * cols * depth >= PARALLEL_WORK;
        double[] packedRight = new double[KC * roundUp(Math.min(NC, cols), NR)];
        for (int jc = 0; jc < cols; jc += NC) {
            int nc = Math.min(NC, cols - jc);
            for (int pc = 0; pc < depth; pc += KC) {
                int kc = Math.min(KC, depth - pc);
                packRight(right, pc, kc, jc, nc, packedRight);
                int first = jc;
                int inner = pc;
                IntStream blocks = IntStream.range(0, (rows + MC - 1) / MC);
                (parallel ? blocks.parallel() : blocks).forEach(block -> multiplyRowBlock(left, scale, inner, kc,
                        block * MC, Math.min(MC, rows - block * MC), packedRight, first, nc, c, cols));
            }
        }
        return new DenseMatrix(rows, cols, c);
    }

    private static void multiplyRowBlock(DenseMatrix left, double[] scale, int pc, int kc, int ic, int mc,
                                         double[] packedRight, int jc, int nc, double[] c, int ldc) {
        double[] packedLeft = new double[roundUp(mc, MR) * kc];
        packLeft(left, scale, ic, mc, pc, kc, packedLeft);
        for (int jr = 0; jr < nc; jr += NR) {
            for (int ir = 0; ir < mc; ir += MR) {
                microKernel(packedLeft, ir * kc, packedRight, jr * kc, kc, c, ic + ir, jc + jr,
                        Math.min(MR, mc - ir), Math.min(NR, nc - jr), ldc);
            }
        }
    }

    /** Panel p holds columns [p·NR, p·NR + NR) of the block: element (l, j) at p·NR·kc + l·NR + j, zero-padded. */
    private static void packRight(DenseMatrix right, int pc, int kc, int jc, int nc, double[] packed) {
        double[] r = right.data();
        int ld = right.cols();
        for (int jr = 0; jr < nc; jr += NR) {
            int width = Math.min(NR, nc - jr);
            int base = jr * kc;
            for (int l = 0; l < kc; l++) {
                int to = base + l * NR;
                System.arraycopy(r, (pc + l) * ld + jc + jr, packed, to, width);
                for (int j = width; j < NR; j++) {
                    packed[to + j] = 0;
                }
            }
        }
    }

    /** Panel q holds rows [q·MR, q·MR + MR): element (i, l) at q·MR·kc + l·MR + i, scaled, zero-padded. */
    private static void packLeft(DenseMatrix left, double[] scale, int ic, int mc, int pc, int kc, double[] packed) {
        double[] a = left.data();
        int ld = left.cols();
        for (int ir = 0; ir < mc; ir += MR) {
            int height = Math.min(MR, mc - ir);
            int base = ir * kc;
            for (int i = 0; i < height; i++) {
                int row = (ic + ir + i) * ld + pc;
                for (int l = 0; l < kc; l++) {
                    packed[base + l * MR + i] = scale == null ? a[row + l] : a[row + l] * scale[pc + l];
                }
            }
        }
    }

    /** Accumulates the MR × NR tile at (row, col) of C, of which mr × nr lie inside C. */
    private static void microKernel(double[] pa, int aOff, double[] pb, int bOff, int kc, double[] c, int row,
                                    int col, int mr, int nr, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int l = 0; l < kc; l++) {
            int b = bOff + l * NR;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, pb, b);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, pb, b + LANES);
            int a = aOff + l * MR;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, pa[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, pa[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, pa[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, pa[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        if (mr == MR && nr == NR) {
            int at = row * ldc + col;
            addInto(c, at, c00, c01);
            addInto(c, at + ldc, c10, c11);
            addInto(c, at + 2 * ldc, c20, c21);
            addInto(c, at + 3 * ldc, c30, c31);
            return;
        }
        double[] values = new double[MR * NR];
        c00.intoArray(values, 0);
        c01.intoArray(values, LANES);
        c10.intoArray(values, NR);
        c11.intoArray(values, NR + LANES);
        c20.intoArray(values, 2 * NR);
        c21.intoArray(values, 2 * NR + LANES);
        c30.intoArray(values, 3 * NR);
        c31.intoArray(values, 3 * NR + LANES);
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                c[(row + i) * ldc + col + j] += values[i * NR + j];
            }
        }
    }

    private static void addInto(double[] c, int at, DoubleVector low, DoubleVector high) {
        DoubleVector.fromArray(SPECIES, c, at).add(low).intoArray(c, at);
        DoubleVector.fromArray(SPECIES, c, at + LANES).add(high).intoArray(c, at + LANES);
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
