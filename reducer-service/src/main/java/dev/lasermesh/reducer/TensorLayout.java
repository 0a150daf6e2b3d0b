package dev.lasermesh.reducer;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.tensor.DType;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor a reducer writes: name, dtype and shape, known before anything is computed, so an
 * existing file can be checked against what the task asks for.
 *
 * <p>Names (docs/contracts.md, "Reduction"): the dense form is one tensor named like the original
 * ({@code model.layers.5.mlp.down_proj.weight}, its shape and dtype); the factored form is
 * {@code <tensor>.left} = U_k·√S_k (out × k) and {@code <tensor>.right} = √S_k·V_kᵀ (k × in), in the
 * original's dtype, as {@code ReducedModelWriter} stores factors.
 *
 * @param name  the tensor name in the file
 * @param dtype element type (the original matrix's)
 * @param shape dimensions
 */
record TensorLayout(String name, DType dtype, long[] shape) {

    TensorLayout {
        shape = shape.clone();
    }

    /**
     * The tensors a reduction of {@code matrix} to rank {@code k} in {@code form} writes, in file order, in
     * {@code dtype} (the matrix's, or F32 for dequantized values).
     */
    static List<TensorLayout> of(MatrixRef matrix, OutputForm form, int k, DType dtype) {
        return switch (form) {
            case DENSE -> List.of(new TensorLayout(matrix.name(), dtype, new long[] {matrix.rows(), matrix.cols()}));
            case FACTORED -> List.of(
                    new TensorLayout(matrix.name() + ".left", dtype, new long[] {matrix.rows(), k}),
                    new TensorLayout(matrix.name() + ".right", dtype, new long[] {k, matrix.cols()}));
        };
    }

    /** Data bytes of the tensors as written. */
    static long bytes(List<TensorLayout> layout) {
        return layout.stream().mapToLong(t -> Arrays.stream(t.shape).reduce(1, Math::multiplyExact) * t.dtype.byteSize())
                .sum();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as a {@link dev.lasermesh.contracts.TensorRef} carries it. */
    List<Long> shapeList() {
        return Arrays.stream(shape).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorLayout t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
