package dev.lasermesh.core.quant;

/**
 * One ggml block format: {@value #BLOCK} consecutive float32 values of a row encoded into a fixed
 * number of bytes, and decoded back. Implementations are bit-exact to ggml's reference quantizers
 * ({@code ggml/src/ggml-quants.c}), which {@code llama-quantize} uses for these types when no importance
 * matrix is given.
 */
sealed interface BlockCodec permits Q8_0Codec, Q4_0Codec {

    /** Values per block (ggml's {@code QK8_0} = {@code QK4_0} = 32). */
    int BLOCK = 32;

    /** Bytes of one encoded block. */
    int blockBytes();

    /**
     * Encodes {@code blocks} consecutive blocks: values {@code src[from ..]} into bytes {@code dst[to ..]}.
     */
    void encode(float[] src, int from, int blocks, byte[] dst, int to);

    /** Decodes {@code blocks} consecutive blocks: bytes {@code src[from ..]} into values {@code dst[to ..]}. */
    void decode(byte[] src, int from, int blocks, float[] dst, int to);
}
