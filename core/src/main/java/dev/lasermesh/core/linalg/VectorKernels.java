package dev.lasermesh.core.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java dense kernels on the Vector API where EJML is slow: the Gram product W·Wᵀ of a
 * row-major matrix and the general product X·Y, both register-blocked, cache-blocked and spread
 * over a fixed number of threads.
 *
 * <p>Gram: every entry G_ij = ⟨w_i, w_j⟩ of the upper triangle is an inner product of two rows, so
 * a 4×4 tile of G is computed from 4 + 4 rows with 16 vector accumulators (8 loads feed 16 fused
 * multiply-adds). The depth is cut into panels of {@value #GRAM_DEPTH_PANEL} columns so the four
 * i-rows of a panel stay in L1 while the {@value #GRAM_COLUMN_BLOCK} j-rows of a column block stay
 * in L2 (the blocking idea of Goto &amp; van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008). Each task owns one column block of G, so no two threads
 * write the same entry; tasks are handed out largest first because the triangle makes them uneven.
 */
final class VectorKernels {

    static final int GRAM_DEPTH_PANEL = 256;
    static final int GRAM_COLUMN_BLOCK = 64;
    private static final int TILE = 4;
    private static final int PRODUCT_COLUMN_BLOCK = 128;
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private final int threads;
    private final ForkJoinPool pool;

    VectorKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    int threads() {
        return threads;
    }

    /** G = W·Wᵀ (full symmetric, row-major) of a row-major matrix W. */
    double[] gram(DenseMatrix w) {
        int p = w.rows();
        int q = w.cols();
        double[] a = w.data();
        double[] g = new double[p * p];
        int blocks = (p + GRAM_COLUMN_BLOCK - 1) / GRAM_COLUMN_BLOCK;
        forEach(blocks, t -> {
            int block = blocks - 1 - t;
            int j0 = block * GRAM_COLUMN_BLOCK;
            gramColumnBlock(a, p, q, j0, Math.min(p, j0 + GRAM_COLUMN_BLOCK), g);
        });
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) {
                g[j * p + i] = g[i * p + j];
            }
        }
        return g;
    }

    /** The product x·y of row-major matrices. */
    DenseMatrix multiply(DenseMatrix x, DenseMatrix y) {
        if (x.cols() != y.rows()) {
            throw new IllegalArgumentException("cannot multiply " + x + " by " + y);
        }
        DenseMatrix c = DenseMatrix.zeros(x.rows(), y.cols());
        int blocks = (y.cols() + PRODUCT_COLUMN_BLOCK - 1) / PRODUCT_COLUMN_BLOCK;
        forEach(blocks, block -> {
            int c0 = block * PRODUCT_COLUMN_BLOCK;
            productColumnBlock(x, y, c, c0, Math.min(y.cols(), c0 + PRODUCT_COLUMN_BLOCK));
        });
        return c;
    }

    /** Entries (i, j) with j in [j0, j1) and i ≤ j (plus a few below the diagonal, later mirrored). */
    private static void gramColumnBlock(double[] a, int p, int q, int j0, int j1, double[] g) {
        for (int k0 = 0; k0 < q; k0 += GRAM_DEPTH_PANEL) {
            int k1 = Math.min(q, k0 + GRAM_DEPTH_PANEL);
            for (int i0 = 0; i0 < j1; i0 += TILE) {
                for (int jj = Math.max(j0, i0); jj < j1; jj += TILE) {
                    if (i0 + TILE <= p && jj + TILE <= j1) {
                        gramTile(a, q, i0, jj, k0, k1, g, p);
                    } else {
                        gramEdgeTile(a, q, i0, Math.min(p, i0 + TILE), jj, Math.min(j1, jj + TILE), k0, k1, g, p);
                    }
                }
            }
        }
    }

    /** Adds the panel [k0, k1) of the 4×4 tile of inner products of rows i0.. and j0.. into g. */
    private static void gramTile(double[] a, int q, int i0, int j0, int k0, int k1, double[] g, int p) {
        int r0 = i0 * q;
        int r1 = r0 + q;
        int r2 = r1 + q;
        int r3 = r2 + q;
        int s0 = j0 * q;
        int s1 = s0 + q;
        int s2 = s1 + q;
        int s3 = s2 + q;
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c03 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c13 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c23 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        DoubleVector c33 = c00;
        int vectorEnd = k0 + SPECIES.loopBound(k1 - k0);
        for (int k = k0; k < vectorEnd; k += LANES) {
            DoubleVector x0 = DoubleVector.fromArray(SPECIES, a, r0 + k);
            DoubleVector x1 = DoubleVector.fromArray(SPECIES, a, r1 + k);
            DoubleVector x2 = DoubleVector.fromArray(SPECIES, a, r2 + k);
            DoubleVector x3 = DoubleVector.fromArray(SPECIES, a, r3 + k);
            DoubleVector y = DoubleVector.fromArray(SPECIES, a, s0 + k);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = DoubleVector.fromArray(SPECIES, a, s1 + k);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = DoubleVector.fromArray(SPECIES, a, s2 + k);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = DoubleVector.fromArray(SPECIES, a, s3 + k);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
        }
        int g0 = i0 * p + j0;
        g[g0] += c00.reduceLanes(VectorOperators.ADD);
        g[g0 + 1] += c01.reduceLanes(VectorOperators.ADD);
        g[g0 + 2] += c02.reduceLanes(VectorOperators.ADD);
        g[g0 + 3] += c03.reduceLanes(VectorOperators.ADD);
        g[g0 + p] += c10.reduceLanes(VectorOperators.ADD);
        g[g0 + p + 1] += c11.reduceLanes(VectorOperators.ADD);
        g[g0 + p + 2] += c12.reduceLanes(VectorOperators.ADD);
        g[g0 + p + 3] += c13.reduceLanes(VectorOperators.ADD);
        g[g0 + 2 * p] += c20.reduceLanes(VectorOperators.ADD);
        g[g0 + 2 * p + 1] += c21.reduceLanes(VectorOperators.ADD);
        g[g0 + 2 * p + 2] += c22.reduceLanes(VectorOperators.ADD);
        g[g0 + 2 * p + 3] += c23.reduceLanes(VectorOperators.ADD);
        g[g0 + 3 * p] += c30.reduceLanes(VectorOperators.ADD);
        g[g0 + 3 * p + 1] += c31.reduceLanes(VectorOperators.ADD);
        g[g0 + 3 * p + 2] += c32.reduceLanes(VectorOperators.ADD);
        g[g0 + 3 * p + 3] += c33.reduceLanes(VectorOperators.ADD);
        for (int k = vectorEnd; k < k1; k++) {
            for (int i = 0; i < TILE; i++) {
                for (int j = 0; j < TILE; j++) {
                    g[g0 + i * p + j] += a[r0 + i * q + k] * a[s0 + j * q + k];
                }
            }
        }
    }

    /** The tiles at the border of G that are narrower than 4×4: one inner product per entry. */
    private static void gramEdgeTile(double[] a, int q, int i0, int i1, int j0, int j1, int k0, int k1,
                                     double[] g, int p) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                g[i * p + j] += dot(a, i * q + k0, j * q + k0, k1 - k0);
            }
        }
    }

    private static double dot(double[] a, int x, int y, int length) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int vectorEnd = SPECIES.loopBound(length);
        for (int k = 0; k < vectorEnd; k += LANES) {
            acc = DoubleVector.fromArray(SPECIES, a, x + k).fma(DoubleVector.fromArray(SPECIES, a, y + k), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (int k = vectorEnd; k < length; k++) {
            sum += a[x + k] * a[y + k];
        }
        return sum;
    }

    /**
     * Columns [c0, c1) of x·y, one strip of {@code LANES} columns at a time: the strip of y (all
     * rows) stays in cache while every group of 4 rows of x passes over it, each step broadcasting
     * 4 entries of x against one vector of y.
     */
    private static void productColumnBlock(DenseMatrix x, DenseMatrix y, DenseMatrix c, int c0, int c1) {
        int rows = x.rows();
        int inner = x.cols();
        int cols = y.cols();
        double[] xd = x.data();
        double[] yd = y.data();
        double[] cd = c.data();
        for (int j = c0; j < c1; j += LANES) {
            VectorMask<Double> mask = SPECIES.indexInRange(j, c1);
            int i = 0;
            for (; i + TILE <= rows; i += TILE) {
                DoubleVector acc0 = DoubleVector.zero(SPECIES);
                DoubleVector acc1 = acc0;
                DoubleVector acc2 = acc0;
                DoubleVector acc3 = acc0;
                int x0 = i * inner;
                for (int l = 0; l < inner; l++) {
                    DoubleVector v = DoubleVector.fromArray(SPECIES, yd, l * cols + j, mask);
                    acc0 = v.fma(DoubleVector.broadcast(SPECIES, xd[x0 + l]), acc0);
                    acc1 = v.fma(DoubleVector.broadcast(SPECIES, xd[x0 + inner + l]), acc1);
                    acc2 = v.fma(DoubleVector.broadcast(SPECIES, xd[x0 + 2 * inner + l]), acc2);
                    acc3 = v.fma(DoubleVector.broadcast(SPECIES, xd[x0 + 3 * inner + l]), acc3);
                }
                acc0.intoArray(cd, i * cols + j, mask);
                acc1.intoArray(cd, (i + 1) * cols + j, mask);
                acc2.intoArray(cd, (i + 2) * cols + j, mask);
                acc3.intoArray(cd, (i + 3) * cols + j, mask);
            }
            for (; i < rows; i++) {
                DoubleVector acc = DoubleVector.zero(SPECIES);
                for (int l = 0; l < inner; l++) {
                    DoubleVector v = DoubleVector.fromArray(SPECIES, yd, l * cols + j, mask);
                    acc = v.fma(DoubleVector.broadcast(SPECIES, xd[i * inner + l]), acc);
                }
                acc.intoArray(cd, i * cols + j, mask);
            }
        }
    }

    /** Runs body(0..count-1), on the pool when there is more than one thread. */
    private void forEach(int count, IntConsumer body) {
        if (pool == null || count <= 1) {
            for (int t = 0; t < count; t++) {
                body.accept(t);
            }
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            int index = t;
            tasks.add(() -> {
                body.accept(index);
                return null;
            });
        }
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing a matrix product", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("matrix kernel task failed", e.getCause());
        }
    }
}
