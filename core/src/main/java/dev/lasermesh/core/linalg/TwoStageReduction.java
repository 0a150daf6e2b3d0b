package dev.lasermesh.core.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * LAPACK's two-stage tridiagonal reduction of a symmetric matrix, one stage per call: dsytrd_sy2sb
 * (full → band of half-width kd, blocked Householder updates, BLAS-3 and compute-bound) and
 * dsytrd_sb2st (band → tridiagonal by bulge chasing inside the cache). Against the one-stage dsytrd,
 * half of whose flops are memory-bound dsymv calls, it took 5.3–5.8 s instead of 8.1 s for a 4096×4096
 * Gram matrix on one thread of this project's machine (load 6–8, same run) (successive band reduction: Bischof, Lang &amp;
 * Sun, ACM TOMS 26(4), 2000; the kernels LAPACK 3.7 took from Haidar, Ltaief &amp; Dongarra, SC'11).
 *
 * <p>The bytedeco presets bind only the combined dsytrd_2stage, which keeps neither the band nor the
 * first stage's reflectors; the deflated Gram route needs both (eigenvectors of the band by inverse
 * iteration, carried back by Q1), so the two stages are called through the foreign-function API on
 * the library the presets loaded. Both take the lower triangle in column-major order.
 */
final class TwoStageReduction {

    private static final int LEAST_BANDWIDTH = 16;
    private static final int MOST_BANDWIDTH = 64;
    private static final int DIMENSION_PER_BAND_COLUMN = 64;
    private final MethodHandle toBand;
    private final MethodHandle toTridiagonal;

    /**
     * Binds both stages in the OpenBLAS the bytedeco presets load.
     *
     * @throws UnsatisfiedLinkError when the library or either routine cannot be found, so that the
     *                              native backend is refused as a whole (and the Java one chosen)
     */
    TwoStageReduction() {
        Loader.load(openblas.class);
        try {
            SymbolLookup library = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            Linker linker = Linker.nativeLinker();
            ValueLayout pointer = ValueLayout.ADDRESS;
            ValueLayout length = ValueLayout.JAVA_LONG;
            toBand = linker.downcallHandle(find(library, "dsytrd_sy2sb_"),
                    FunctionDescriptor.ofVoid(pointer, pointer, pointer, pointer, pointer, pointer, pointer, pointer,
                            pointer, pointer, pointer, length));
            toTridiagonal = linker.downcallHandle(find(library, "dsytrd_sb2st_"),
                    FunctionDescriptor.ofVoid(pointer, pointer, pointer, pointer, pointer, pointer, pointer, pointer,
                            pointer, pointer, pointer, pointer, pointer, pointer, length, length, length));
        } catch (IllegalArgumentException | IllegalCallerException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot bind LAPACK's two-stage reduction in "
                    + "libopenblas.so.0: " + e.getMessage());
            error.initCause(e);
            throw error;
        }
    }

    private static MemorySegment find(SymbolLookup library, String symbol) {
        return library.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(symbol + " is not in libopenblas.so.0"));
    }

    /**
     * The band half-width for order n: n/64 within 16..64 (and below n). Wider bands make the first
     * stage faster (larger BLAS-3 blocks) and the second slower: at n = 4096 both stages took
     * 5.8 s with kd = 64, 5.3 s with 128, 6.4 s with 256 (one run, load 6–8) and about 8.5 s with 32;
     * 64 keeps the band's inverse iteration ({@link BandEigenvectors}, cost ∝ kd²) four times
     * cheaper than 128.
     */
    static int bandwidth(int n) {
        int kd = Math.clamp(n / DIMENSION_PER_BAND_COLUMN, LEAST_BANDWIDTH, MOST_BANDWIDTH);
        return Math.max(0, Math.min(kd, n - 1));
    }

    /**
     * Stage 1: Q1ᵀ·A·Q1 = B, B of half-width kd written to {@code band} (lower band storage, leading
     * dimension kd+1); A is overwritten by the reflectors of Q1 below its kd-th subdiagonal, with their
     * scalars in {@code tau} (n − kd of them): the QR-factor layout of A(kd+1:n, 1:n−kd).
     */
    void toBand(DoublePointer a, int n, int kd, DoublePointer band, DoublePointer tau) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment query = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            MemorySegment info = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment lower = arena.allocateFrom("L");
            MemorySegment order = integer(arena, n);
            MemorySegment halfWidth = integer(arena, kd);
            MemorySegment bandLead = integer(arena, kd + 1);
            invoke(toBand, lower, order, halfWidth, view(a, (long) n * n), order, view(band, (long) (kd + 1) * n),
                    bandLead, view(tau, Math.max(1, n)), query, integer(arena, -1), info, 1L);
            check(info, "dsytrd_sy2sb (workspace query)", n);
            int lwork = Math.max(1, (int) query.get(ValueLayout.JAVA_DOUBLE, 0));
            MemorySegment work = arena.allocate(ValueLayout.JAVA_DOUBLE, lwork);
            invoke(toBand, lower, order, halfWidth, view(a, (long) n * n), order, view(band, (long) (kd + 1) * n),
                    bandLead, view(tau, Math.max(1, n)), work, integer(arena, lwork), info, 1L);
            check(info, "dsytrd_sy2sb", n);
        }
    }

    /**
     * Stage 2: the diagonal and subdiagonal of the tridiagonal matrix orthogonally similar to the band
     * (lower band storage from {@link #toBand}); the band is overwritten.
     */
    void toTridiagonal(DoublePointer band, int n, int kd, DoublePointer diagonal, DoublePointer offDiagonal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment houseQuery = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            MemorySegment workQuery = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            MemorySegment info = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment fromStageOne = arena.allocateFrom("Y");
            MemorySegment noVectors = arena.allocateFrom("N");
            MemorySegment lower = arena.allocateFrom("L");
            MemorySegment order = integer(arena, n);
            MemorySegment halfWidth = integer(arena, kd);
            MemorySegment bandLead = integer(arena, kd + 1);
            MemorySegment query = integer(arena, -1);
            MemorySegment d = view(diagonal, Math.max(1, n));
            MemorySegment e = view(offDiagonal, Math.max(1, n));
            MemorySegment b = view(band, (long) (kd + 1) * n);
            invoke(toTridiagonal, fromStageOne, noVectors, lower, order, halfWidth, b, bandLead, d, e, houseQuery,
                    query, workQuery, query, info, 1L, 1L, 1L);
            check(info, "dsytrd_sb2st (workspace query)", n);
            int lhous = Math.max(1, (int) houseQuery.get(ValueLayout.JAVA_DOUBLE, 0));
            int lwork = Math.max(1, (int) workQuery.get(ValueLayout.JAVA_DOUBLE, 0));
            invoke(toTridiagonal, fromStageOne, noVectors, lower, order, halfWidth, b, bandLead, d, e,
                    arena.allocate(ValueLayout.JAVA_DOUBLE, lhous), integer(arena, lhous),
                    arena.allocate(ValueLayout.JAVA_DOUBLE, lwork), integer(arena, lwork), info, 1L, 1L, 1L);
            check(info, "dsytrd_sb2st", n);
        }
    }

    private static void invoke(MethodHandle routine, Object... arguments) {
        try {
            routine.invokeWithArguments(arguments);
        } catch (Throwable e) {
            throw new IllegalStateException("native call failed: " + e, e);
        }
    }

    private static MemorySegment integer(Arena arena, int value) {
        return arena.allocateFrom(ValueLayout.JAVA_INT, value);
    }

    private static MemorySegment view(DoublePointer pointer, long doubles) {
        return MemorySegment.ofAddress(pointer.address()).reinterpret(doubles * Double.BYTES);
    }

    private static void check(MemorySegment info, String routine, int n) {
        int status = info.get(ValueLayout.JAVA_INT, 0);
        if (status != 0) {
            throw new IllegalStateException(routine + " failed with info " + status + " for order " + n);
        }
    }
}
