package dev.lasermesh.core.lora;

import java.util.Arrays;

/**
 * 4-bit NormalFloat, the data type QLoRA stores its frozen base in (Dettmers, Pagnoni, Holtzman,
 * Zettlemoyer, "QLoRA: Efficient Finetuning of Quantized LLMs", NeurIPS 2023, §3 and appendix E;
 * bitsandbytes' NF4 code table), as DESIGN §7.3 defines the round trip: the values of a tensor,
 * flattened row-major, in blocks of {@value #BLOCK_SIZE}; per block absmax = max|x| kept in float32
 * (no double quantization); each value stored as the index of the NF4 level nearest to x/absmax
 * (float32 division; ties to the higher level); read back as level·absmax in float32.
 */
public final class Nf4 {

    /** Values per block, bitsandbytes' default {@code blocksize=64} for 4-bit weights. */
    public static final int BLOCK_SIZE = 64;

    /** The 16 levels of bitsandbytes' NF4 table, ascending (float32 values; DESIGN §7.3). */
    private static final float[] LEVELS = {
            -1f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
            -0.18477343022823334f, -0.09105003625154495f, 0f, 0.07958029955625534f, 0.16093020141124725f,
            0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f,
            0.7229568362236023f, 1f};

    private Nf4() {
    }

    /** The level with index {@code i} (0 = −1, 7 = 0, 15 = 1). */
    public static float level(int i) {
        return LEVELS[i];
    }

    /**
     * The index of the level nearest to {@code normalized}, the higher one on a tie: a binary search
     * for the first level ≥ the value, then the nearer of it and its lower neighbour. The distances
     * of two float32 numbers in [−1, 1] near a tie are exact in float64, so ties are exact.
     */
    public static int nearestLevel(float normalized) {
        int at = Arrays.binarySearch(LEVELS, normalized);
        if (at >= 0) {
            return at;
        }
        int higher = -at - 1;
        if (higher == 0) {
            return 0;
        }
        if (higher == LEVELS.length) {
            return LEVELS.length - 1;
        }
        double toLower = (double) normalized - LEVELS[higher - 1];
        double toHigher = (double) LEVELS[higher] - normalized;
        return toHigher <= toLower ? higher : higher - 1;
    }

    /**
     * Quantizes {@code values} to NF4 and dequantizes them again: what a QLoRA base holds in place of
     * the original weights. A block of zeros stays zero.
     */
    public static float[] roundTrip(float[] values) {
        float[] out = new float[values.length];
        for (int from = 0; from < values.length; from += BLOCK_SIZE) {
            int to = Math.min(values.length, from + BLOCK_SIZE);
            float absmax = 0f;
            for (int i = from; i < to; i++) {
                absmax = Math.max(absmax, Math.abs(values[i]));
            }
            if (absmax == 0f) {
                continue;
            }
            for (int i = from; i < to; i++) {
                out[i] = LEVELS[nearestLevel(values[i] / absmax)] * absmax;
            }
        }
        return out;
    }
}
