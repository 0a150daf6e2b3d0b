package dev.lasermesh.core.model;

import dev.lasermesh.core.tensor.DType;

/**
 * One weight matrix of a model, addressed by its place in the architecture: (layer, module) and, in
 * a mixture of experts, the expert.
 *
 * @param name   the tensor name in the model's files
 * @param layer  the layer, or -1 for matrices outside the layers (embeddings, lm_head, or any matrix of
 *               a model whose family is unknown)
 * @param module the family's short name of the module ({@code q}, {@code down}, {@code w1},
 *               {@code embed}; see {@link dev.lasermesh.core.model.family.ModelFamily#modules()}), or
 *               {@link #OTHER} when the family is unknown
 * @param expert the expert within the layer, or -1 for a matrix that is not an expert's
 * @param rows   out_features
 * @param cols   in_features
 * @param dtype  storage type
 */
public record MatrixRef(String name, int layer, String module, int expert, int rows, int cols, DType dtype) {

    /** The module of every matrix of a model whose family is unknown. */
    public static final String OTHER = "other";

    /** A matrix that is not an expert's. */
    public MatrixRef(String name, int layer, String module, int rows, int cols, DType dtype) {
        this(name, layer, module, -1, rows, cols, dtype);
    }

    /** Number of elements. */
    public long elementCount() {
        return (long) rows * cols;
    }

    /** The smaller dimension: the number of singular values. */
    public int minDim() {
        return Math.min(rows, cols);
    }

    /** Whether it belongs to a layer (false for model-wide matrices and those of an unknown family). */
    public boolean perLayer() {
        return layer >= 0;
    }

    /**
     * A short label for reports: {@code 5.down}, {@code 3.e7.w1} (layer 3, expert 7), {@code embed}, or
     * the tensor name when the family is unknown.
     */
    public String label() {
        if (module.equals(OTHER)) {
            return name;
        }
        if (layer < 0) {
            return module;
        }
        return layer + "." + (expert >= 0 ? "e" + expert + "." : "") + module;
    }
}
