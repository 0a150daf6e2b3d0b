package dev.lasermesh.core.eval.forward;

/**
 * A checkpoint tensor the forward pass uses: where it sits (role, layer; layer is −1 for model-wide
 * tensors) and its float32 values, as a matrix (linear weights, embeddings) or a vector (norms, biases).
 */
record BoundTensor(String name, TensorRole role, int layer, WeightMatrix matrix, float[] vector) {

    /** Element count a replacement must have. */
    long elementCount() {
        return matrix != null ? (long) matrix.rows() * matrix.cols() : vector.length;
    }

    /** Shape as written in messages, e.g. [256, 704]. */
    String shapeText() {
        return matrix != null ? "[" + matrix.rows() + ", " + matrix.cols() + "]" : "[" + vector.length + "]";
    }
}
