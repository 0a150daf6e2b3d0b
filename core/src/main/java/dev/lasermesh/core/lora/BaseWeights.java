package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.util.List;

/**
 * The base model's matrices as the adapter saw them in training. With {@link BaseQuantization#NF4}
 * those are the NF4 round trips of the decoder-layer linears (q, k, v, o, gate, up, down of every
 * layer: what bitsandbytes quantizes when transformers loads a model in 4 bit; the embeddings and
 * the output head stay in their dtype); otherwise the stored weights.
 */
public final class BaseWeights {

    private final ModelSource model;
    private final BaseQuantization quantization;

    public BaseWeights(ModelSource model, BaseQuantization quantization) {
        this.model = model;
        this.quantization = quantization;
    }

    public ModelSource model() {
        return model;
    }

    public BaseQuantization quantization() {
        return quantization;
    }

    /** Whether {@link #read} differs from the stored weights for {@code matrix}. */
    public boolean changes(MatrixRef matrix) {
        return quantization != BaseQuantization.NONE && matrix.perLayer();
    }

    /** The matrices {@link #read} changes, in catalogue order (none without quantization). */
    public List<MatrixRef> changed() {
        return model.catalogue().matrices().stream().filter(this::changes).toList();
    }

    /** The matrix in float64, quantized and dequantized where {@link #changes} says so. */
    public DenseMatrix read(MatrixRef matrix) {
        DenseMatrix stored = model.readMatrix(matrix);
        return changes(matrix) ? quantization.apply(stored) : stored;
    }
}
