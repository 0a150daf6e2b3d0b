package dev.lasermesh.core.quant;

import dev.lasermesh.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ggml block formats Lasermesh quantizes to (DESIGN §7.2). Blocks of 32 consecutive values run
 * along a row ({@code [out, in]} matrices: along {@code in}), so a row's length must be a multiple of 32;
 * a tensor is stored as row 0's blocks, then row 1's, ... (ggml row-major).
 */
public enum QuantScheme {
    /** 8-bit: 34 bytes per 32 values (8.5 bits per weight). */
    Q8_0("q8_0", Q8_0Codec.INSTANCE),
    /** 4-bit: 18 bytes per 32 values (4.5 bits per weight). */
    Q4_0("q4_0", Q4_0Codec.INSTANCE);

    /** Values per block. */
    public static final int BLOCK = BlockCodec.BLOCK;

    private final String cliName;
    private final BlockCodec codec;

    QuantScheme(String cliName, BlockCodec codec) {
        this.cliName = cliName;
        this.codec = codec;
    }

    /** The name users type and reports show ({@code q8_0}). */
    public String cliName() {
        return cliName;
    }

    /** Bytes of one block. */
    public int blockBytes() {
        return codec.blockBytes();
    }

    /** Whether a row of this length can be split into blocks. */
    public static boolean fits(long rowLength) {
        return rowLength > 0 && rowLength % BLOCK == 0;
    }

    /** Bytes ggml stores for a rows × cols matrix in this format (cols a multiple of 32). */
    public long bytes(long rows, long cols) {
        if (!fits(cols)) {
            throw new IllegalArgumentException("row length " + cols + " is not a multiple of " + BLOCK);
        }
        return rows * (cols / BLOCK) * blockBytes();
    }

    /**
     * Quantizes a row-major rows × cols matrix.
     *
     * @throws IllegalArgumentException when cols is not a multiple of 32 or the array has another length
     */
    public QuantizedMatrix quantize(float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values for a " + rows + "x" + cols + " matrix");
        }
        byte[] blocks = new byte[Math.toIntExact(bytes(rows, cols))];
        codec.encode(values, 0, values.length / BLOCK, blocks, 0);
        return new QuantizedMatrix(this, rows, cols, blocks);
    }

    /** Decodes {@code blocks} blocks of {@code src} from {@code from} into {@code dst} from {@code to}. */
    void decode(byte[] src, int from, int blocks, float[] dst, int to) {
        codec.decode(src, from, blocks, dst, to);
    }

    /**
     * Parses {@code q8_0} or {@code q4_0} (any case).
     *
     * @throws InvalidInputException naming the value and the valid schemes
     */
    public static QuantScheme parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (QuantScheme s : values()) {
            if (s.cliName.equals(n)) {
                return s;
            }
        }
        throw new InvalidInputException("unknown quantization scheme \"" + name.trim() + "\" (valid: "
                + Arrays.stream(values()).map(QuantScheme::cliName).collect(Collectors.joining(", ")) + ")");
    }

    /** ggml's spelling, {@code Q8_0}. */
    public String ggmlName() {
        return name();
    }
}
