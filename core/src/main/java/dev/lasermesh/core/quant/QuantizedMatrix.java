package dev.lasermesh.core.quant;

/**
 * A rows × cols matrix in a ggml block format: the bytes exactly as ggml stores the tensor (row 0's
 * blocks, then row 1's, ...), e.g. the data of a GGUF tensor.
 *
 * @param scheme the block format
 * @param rows   rows (ggml's ne1)
 * @param cols   row length (ggml's ne0), a multiple of 32
 * @param blocks the encoded blocks (owned by this record: do not change them)
 */
public record QuantizedMatrix(QuantScheme scheme, int rows, int cols, byte[] blocks) {

    public QuantizedMatrix {
        if (blocks.length != scheme.bytes(rows, cols)) {
            throw new IllegalArgumentException(blocks.length + " bytes for a " + rows + "x" + cols + " "
                    + scheme.ggmlName() + " matrix, which takes " + scheme.bytes(rows, cols));
        }
    }

    /** The decoded values, row-major float32 (exact: q·d in float32). */
    public float[] dequantize() {
        float[] values = new float[Math.multiplyExact(rows, cols)];
        scheme.decode(blocks, 0, values.length / QuantScheme.BLOCK, values, 0);
        return values;
    }

    /** Bytes as ggml stores them. */
    public long byteSize() {
        return blocks.length;
    }
}
