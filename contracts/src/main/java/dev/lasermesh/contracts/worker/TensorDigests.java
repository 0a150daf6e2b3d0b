package dev.lasermesh.contracts.worker;

import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a tensor's data bytes, the checksum a {@link dev.lasermesh.contracts.TensorRef} carries:
 * the little-endian bytes as stored in the safetensors file, header excluded. The reducer computes it
 * from the values it is about to write; the evaluator recomputes it from the file before trusting it.
 */
public final class TensorDigests {

    /** Elements encoded per step when digesting values: bounds the scratch memory. */
    private static final int BLOCK = 1 << 16;
    private static final int CHUNK_BYTES = 1 << 22;

    private TensorDigests() {
    }

    /** The digest of stored bytes, e.g. a tensor's data in a memory-mapped file. */
    public static String sha256(MemorySegment bytes) {
        MessageDigest digest = newDigest();
        for (long offset = 0; offset < bytes.byteSize(); offset += CHUNK_BYTES) {
            digest.update(bytes.asSlice(offset, Math.min(CHUNK_BYTES, bytes.byteSize() - offset)).asByteBuffer());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The digest of {@code values} encoded as {@code dtype} exactly as
     * {@link dev.lasermesh.core.tensor.SafetensorsWriter} writes them ({@link TensorCodec#encode}: each
     * double rounded to float32 first, then to F16/BF16 to nearest even; F64 stored as is).
     */
    public static String sha256(double[] values, DType dtype) {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK * dtype.byteSize());
        MemorySegment scratch = MemorySegment.ofBuffer(buffer);
        for (int from = 0; from < values.length; from += BLOCK) {
            int count = Math.min(BLOCK, values.length - from);
            TensorCodec.encode(values, from, count, dtype, scratch);
            digest.update(buffer.clear().limit(count * dtype.byteSize()));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
