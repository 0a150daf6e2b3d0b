package dev.lasermesh.core.lora;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the adapter was trained against: the stored base weights (LoRA) or their NF4 round trip
 * (QLoRA, {@link Nf4}).
 */
public enum BaseQuantization {
    /** The weights as stored. */
    NONE("none"),
    /** The decoder-layer linears as a QLoRA base holds them: NF4 with blocks of 64 and a float32 absmax. */
    NF4("nf4");

    private final String cliName;

    BaseQuantization(String cliName) {
        this.cliName = cliName;
    }

    /** The name users type ({@code --base-quant nf4}). */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a user's name.
     *
     * @throws InvalidInputException naming the value and the valid names
     */
    public static BaseQuantization parse(String name) {
        for (BaseQuantization q : values()) {
            if (q.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return q;
            }
        }
        throw new InvalidInputException("unknown base quantization \"" + name + "\" (--base-quant), valid: "
                + Arrays.stream(values()).map(BaseQuantization::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * The matrix as this quantization leaves it. NF4 works on float32 values: weights stored as F32,
     * BF16 or F16 are exact float32 numbers, so the widening to float32 loses nothing.
     */
    public DenseMatrix apply(DenseMatrix w) {
        if (this == NONE) {
            return w;
        }
        double[] d = w.data();
        float[] values = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            values[i] = (float) d[i];
        }
        return DenseMatrix.fromFloats(w.rows(), w.cols(), Nf4.roundTrip(values));
    }
}
