package dev.lasermesh.core.quant;

import dev.lasermesh.core.tensor.TensorCodec;

/**
 * ggml's {@code quantize_row_q8_0_ref} and {@code quantize_row_q4_0_ref} transcribed line by line
 * from C into scalar Java (float32 arithmetic, C's roundf, (int8_t) truncation), as an oracle for the
 * vectorised codecs on blocks the fixture does not cover.
 */
final class ScalarGgmlQuantizers {

    private ScalarGgmlQuantizers() {
    }

    static byte[] q8_0(float[] x) {
        int nb = x.length / 32;
        byte[] y = new byte[nb * 34];
        for (int i = 0; i < nb; i++) {
            float amax = 0.0f;
            for (int j = 0; j < 32; j++) {
                float v = x[i * 32 + j];
                amax = Math.max(amax, Math.abs(v));
            }
            float d = amax / ((1 << 7) - 1);
            float id = d != 0 ? 1.0f / d : 0.0f;
            putHalf(y, i * 34, d);
            for (int j = 0; j < 32; j++) {
                float x0 = x[i * 32 + j] * id;
                y[i * 34 + 2 + j] = (byte) roundf(x0);
            }
        }
        return y;
    }

    static byte[] q4_0(float[] x) {
        int nb = x.length / 32;
        byte[] y = new byte[nb * 18];
        for (int i = 0; i < nb; i++) {
            float amax = 0.0f;
            float max = 0.0f;
            for (int j = 0; j < 32; j++) {
                float v = x[i * 32 + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putHalf(y, i * 18, d);
            for (int j = 0; j < 16; j++) {
                float x0 = x[i * 32 + j] * id;
                float x1 = x[i * 32 + 16 + j] * id;
                int xi0 = Math.min(15, (byte) (x0 + 8.5f));
                int xi1 = Math.min(15, (byte) (x1 + 8.5f));
                y[i * 18 + 2 + j] = (byte) (xi0 | (xi1 << 4));
            }
        }
        return y;
    }

    /** C's roundf: half away from zero, exact (float32 → double is exact and so is adding ½ there). */
    private static double roundf(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return Math.copySign(a, v);
    }

    private static void putHalf(byte[] y, int at, float d) {
        short h = TensorCodec.floatToF16(d);
        y[at] = (byte) h;
        y[at + 1] = (byte) (h >> 8);
    }
}
