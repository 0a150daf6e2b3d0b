package dev.lasermesh.core.eval.kernel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Single-precision matrix products through OpenBLAS's {@code cblas_sgemm}, called with the FFM API.
 *
 * <p>Why FFM rather than the JavaCPP wrapper: the wrapper's {@code float[]} overloads copy the arrays
 * on every call (JNI {@code Get<Float>ArrayElements}), and its pointers would force activations into
 * native memory. A critical downcall ({@link Linker.Option#critical(boolean)} with heap access) passes
 * heap arrays and memory-mapped weights to the library without copying. JavaCPP is still what loads
 * the native library from the {@code org.bytedeco:openblas} jar.
 *
 * <p>Operands are row-major. Every product of a given shape takes the same path inside OpenBLAS
 * (the k dimension is never split between threads), so repeated calls on equal inputs give equal
 * results; the incremental evaluation relies on that.
 */
public final class Sgemm {

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private static final MethodHandle SGEMM;
    private static final MethodHandle SET_THREADS_LOCAL;

    static {
        Loader.load(org.bytedeco.openblas.global.openblas.class);
        Linker linker = Linker.nativeLinker();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout f = ValueLayout.JAVA_FLOAT;
        ValueLayout a = ValueLayout.ADDRESS;
        SGEMM = linker.downcallHandle(symbol("cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, a, i, a, i, f, a, i),
                Linker.Option.critical(true));
        SET_THREADS_LOCAL = linker.downcallHandle(symbol("openblas_set_num_threads_local"),
                FunctionDescriptor.of(i, i));
    }

    private Sgemm() {
    }

    private static MemorySegment symbol(String name) {
        Pointer p = Loader.addressof(name);
        if (p == null || p.address() == 0) {
            throw new IllegalStateException("OpenBLAS symbol " + name + " not found in the loaded library");
        }
        return MemorySegment.ofAddress(p.address());
    }

    /**
     * Sets how many threads OpenBLAS uses for products issued by the calling thread (OpenBLAS 0.3.27+
     * {@code openblas_set_num_threads_local}); other threads keep their own setting.
     */
    public static void useThreadsForCaller(int threads) {
        try {
            int previousSetting = (int) SET_THREADS_LOCAL.invokeExact(threads);
            if (previousSetting < 0) {
                throw new IllegalStateException("openblas_set_num_threads_local returned " + previousSetting);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads_local failed", t);
        }
    }

    /**
     * {@code C[m×n] = alpha · A[m×k] · B[n×k]ᵀ + beta · C}: activations times a linear weight stored
     * [out_features, in_features], or queries times keys.
     */
    public static void multiplyTransposed(int m, int n, int k, float alpha, MemorySegment a, int lda,
                                          MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        call(TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** {@code C[m×n] = alpha · A[m×k] · B[k×n] + beta · C}. */
    public static void multiply(int m, int n, int k, float alpha, MemorySegment a, int lda,
                                MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        call(NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** Native code would read or write past a too-small segment, so sizes are checked here. */
    private static void requireSpan(String operand, MemorySegment s, int rows, int cols, int ld) {
        long needed = ((long) (rows - 1) * ld + cols) * Float.BYTES;
        if (rows <= 0 || cols <= 0 || ld < cols || s.byteSize() < needed) {
            throw new IllegalArgumentException("sgemm operand " + operand + ": " + rows + "x" + cols + " with leading dimension "
                    + ld + " needs " + needed + " bytes, segment has " + s.byteSize());
        }
    }

    private static void call(int transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                             MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        requireSpan("A", a, m, k, lda);
        if (transB == TRANS) {
            requireSpan("B", b, n, k, ldb);
        } else {
            requireSpan("B", b, k, n, ldb);
        }
        requireSpan("C", c, m, n, ldc);
        try {
            SGEMM.invokeExact(ROW_MAJOR, NO_TRANS, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
