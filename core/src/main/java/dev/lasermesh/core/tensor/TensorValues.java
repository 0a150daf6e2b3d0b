package dev.lasermesh.core.tensor;

import java.util.function.Supplier;

/**
 * The values of a tensor to be written, produced only when the writer reaches that tensor, in
 * row-major order and in as many consecutive blocks as the producer likes. This lets a model be
 * written tensor by tensor (and a huge tensor block by block) without holding it all in memory.
 */
@FunctionalInterface
public interface TensorValues {

    /** Hands every value, in order, to {@code sink}. Called once. */
    void emit(Sink sink);

    /** Receives consecutive blocks of values. */
    interface Sink {
        void floats(float[] block, int from, int count);

        void doubles(double[] block, int from, int count);
    }

    /** Values already in memory. */
    static TensorValues of(float[] values) {
        return sink -> sink.floats(values, 0, values.length);
    }

    /** Values already in memory. */
    static TensorValues of(double[] values) {
        return sink -> sink.doubles(values, 0, values.length);
    }

    /** Values computed when the writer reaches the tensor (and released after it is written). */
    static TensorValues lazyFloats(Supplier<float[]> values) {
        return sink -> {
            float[] v = values.get();
            sink.floats(v, 0, v.length);
        };
    }

    /** Values computed when the writer reaches the tensor (and released after it is written). */
    static TensorValues lazyDoubles(Supplier<double[]> values) {
        return sink -> {
            double[] v = values.get();
            sink.doubles(v, 0, v.length);
        };
    }
}
