package dev.lasermesh.core.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One ggml block format: {@value #BLOCK} consecutive float32 values of a row encoded into a fixed
 * number of bytes, and decoded back. Implementations are bit-exact to ggml's reference quantizers
 * ({@code ggml/src/ggml-quants.c}), which {@code llama-quantize} uses for these types when no importance
 * matrix is given. A block is held in four 8-lane vectors ({@link #F}); the scale's 2 bytes come first.
 */
abstract sealed class BlockCodec permits Q8_0Codec, Q4_0Codec {

    /** Values per block (ggml's {@code QK8_0} = {@code QK4_0} = 32). */
    static final int BLOCK = 32;
    /** Lanes per vector: a block is four vectors. */
    static final int LANES = 8;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    private final int blockBytes;

    BlockCodec(int blockBytes) {
        this.blockBytes = blockBytes;
    }

    /** Bytes of one encoded block. */
    final int blockBytes() {
        return blockBytes;
    }

    /** The four vectors of the block at {@code src[in]}. */
    static FloatVector[] load(float[] src, int in, FloatVector[] into) {
        for (int c = 0; c < 4; c++) {
            into[c] = FloatVector.fromArray(F, src, in + c * LANES);
        }
        return into;
    }

    /** max |x| over the block. */
    static float absMax(FloatVector[] v) {
        return v[0].abs().max(v[1].abs()).max(v[2].abs().max(v[3].abs())).reduceLanes(VectorOperators.MAX);
    }

    /** Encodes {@code blocks} consecutive blocks: values {@code src[from ..]} into bytes {@code dst[to ..]}. */
    abstract void encode(float[] src, int from, int blocks, byte[] dst, int to);

    /** Decodes {@code blocks} consecutive blocks: bytes {@code src[from ..]} into values {@code dst[to ..]}. */
    abstract void decode(byte[] src, int from, int blocks, float[] dst, int to);
}
