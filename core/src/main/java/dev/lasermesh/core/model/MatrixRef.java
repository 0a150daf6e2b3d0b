package dev.lasermesh.core.model;

import dev.lasermesh.core.tensor.DType;

/**
 * One weight matrix of a model, addressed by its place in the architecture.
 *
 * @param name   the tensor name in the model's files
 * @param layer  the decoder layer, or -1 for matrices outside the layers (embeddings, lm_head, or any
 *               matrix of a file whose architecture is unknown)
 * @param module which matrix of the layer it is ({@link ModuleType#OTHER} when the architecture is unknown)
 * @param rows   out_features
 * @param cols   in_features
 * @param dtype  storage type
 */
public record MatrixRef(String name, int layer, ModuleType module, int rows, int cols, DType dtype) {

    /** Number of elements. */
    public long elementCount() {
        return (long) rows * cols;
    }

    /** The smaller dimension: the number of singular values. */
    public int minDim() {
        return Math.min(rows, cols);
    }

    /** A short label for reports: {@code 5.down}, {@code embed}, or the tensor name for other matrices. */
    public String label() {
        if (module == ModuleType.OTHER) {
            return name;
        }
        return layer >= 0 ? layer + "." + module.shortName() : module.shortName();
    }
}
