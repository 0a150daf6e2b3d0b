package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfig;

/**
 * cos/sin of rotary position embeddings (Su et al. 2021, "RoFormer", eq. 34) in transformers' "rotate
 * half" layout: frequency j &lt; head_dim/2 rotates the pair (j, j + head_dim/2), with
 * {@code inv_freq[j] = theta^(−2j/head_dim)} and angle {@code position · inv_freq[j]}.
 *
 * <p>Angles, cos and sin are computed in float64 and rounded to float32, as the fixtures' reference
 * implementation does (transformers computes them in float32; the two differ by about 1e−5 at
 * position 256). With {@code rope_scaling} of type {@code llama3} the frequencies are rescaled as in
 * transformers' {@code _compute_llama3_parameters} (Llama 3.1): wavelengths above
 * {@code original_max_position_embeddings / low_freq_factor} are divided by {@code factor}, those below
 * {@code original / high_freq_factor} kept, and the band between interpolated smoothly.
 */
final class RotaryTable {

    private final int half;
    private final int length;
    private final float[] cos;
    private final float[] sin;

    private RotaryTable(int half, int length, float[] cos, float[] sin) {
        this.half = half;
        this.length = length;
        this.cos = cos;
        this.sin = sin;
    }

    /** The table for positions 0 .. length−1. */
    static RotaryTable of(ModelConfig config, int length) {
        double[] invFreq = inverseFrequencies(config);
        int half = invFreq.length;
        float[] cos = new float[length * half];
        float[] sin = new float[length * half];
        for (int p = 0; p < length; p++) {
            for (int j = 0; j < half; j++) {
                double angle = p * invFreq[j];
                cos[p * half + j] = (float) Math.cos(angle);
                sin[p * half + j] = (float) Math.sin(angle);
            }
        }
        return new RotaryTable(half, length, cos, sin);
    }

    static double[] inverseFrequencies(ModelConfig config) {
        int headDim = config.headDim();
        double[] inv = new double[headDim / 2];
        for (int j = 0; j < inv.length; j++) {
            inv[j] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * j) / headDim);
        }
        config.ropeScaling().ifPresent(s -> {
            double lowWavelength = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
            double highWavelength = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
            for (int j = 0; j < inv.length; j++) {
                double wavelength = 2 * Math.PI / inv[j];
                if (wavelength > lowWavelength) {
                    inv[j] = inv[j] / s.factor();
                } else if (wavelength >= highWavelength) {
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelength - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    inv[j] = (1 - smooth) * inv[j] / s.factor() + smooth * inv[j];
                }
            }
        });
        return inv;
    }

    int length() {
        return length;
    }

    /**
     * Rotates {@code rows} rows (positions 0..rows−1) of {@code heads} heads in place: for each pair,
     * {@code x' = x·cos − y·sin}, {@code y' = y·cos + x·sin} (= q·cos + rotate_half(q)·sin).
     */
    void apply(float[] x, int rows, int heads) {
        int headDim = 2 * half;
        int rowWidth = heads * headDim;
        for (int p = 0; p < rows; p++) {
            int t = p * half;
            for (int h = 0; h < heads; h++) {
                int base = p * rowWidth + h * headDim;
                for (int j = 0; j < half; j++) {
                    float a = x[base + j];
                    float b = x[base + j + half];
                    float c = cos[t + j];
                    float s = sin[t + j];
                    x[base + j] = a * c - b * s;
                    x[base + j + half] = b * c + a * s;
                }
            }
        }
    }
}
