package dev.lasermesh.core.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.forward.DecoderForward;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.ModelQuantizer;
import dev.lasermesh.core.quant.QuantScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GGUF round trip: tiny-llama exported as F32, Q8_0 and Q4_0 GGUF, loaded by llama.cpp itself
 * (node-llama-cpp 3.22.1's prebuilt CPU library) and scored on one window — [BOS] + the first 127 ids
 * of sotu-2009-2021.txt, the window of {@code quant/llamacpp-check.json} — against Lasermesh's forward
 * pass on the dequantized model folder that {@code lasermesh quantize} writes (the original folder for F32).
 *
 * <p>Tolerances, from what the fixture measured with its own GGUF writer (README of {@code fixtures/quant}):
 * llama.cpp keeps its KV cache in F16 (F32: |Δlogit| 0.003, mean NLL 5e-7 relative), and for Q8_0/Q4_0
 * weights its CPU matmul also quantizes the activations to Q8_0 blocks, so it does not compute exactly
 * the dequantized model (|Δlogit| ≈ 0.1, mean NLL ≈ 2e-4 relative). Asserted: mean NLL over the 127
 * predictions within 1e-4 relative for F32 and 1e-3 for Q8_0/Q4_0; every logit within 0.01 (F32) or 0.2;
 * the arg-max token the same at ≥ 97% of positions (F32: all). The measured numbers are printed.
 */
class LlamaCppGgufIT {

    private static final JsonNode CHECK = Fixtures.json("quant/llamacpp-check.json");

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"F32", "Q8_0", "Q4_0"})
    void llamaCppScoresTheExportedGgufAsLasermeshScoresTheFolder(String format) throws Exception {
        NodeLlamaCpp llamaCpp = NodeLlamaCpp.installed(temp);
        Optional<QuantScheme> scheme = format.equals("F32") ? Optional.empty() : Optional.of(QuantScheme.valueOf(format));
        Path model = Fixtures.path("tiny-llama");
        Path gguf = temp.resolve("tiny-" + format + ".gguf");
        Path folder = model;
        try (ModelSource source = ModelSource.open(model)) {
            LlamaGgufExport.prepare(source, source.catalogue().defaultSelection(), scheme).write(gguf);
            if (scheme.isPresent()) {
                folder = temp.resolve("tiny-" + format);
                ModelQuantizer.writeQuantized(source, source.catalogue().defaultSelection(), scheme.get(), folder);
            }
        }
        int[] window = window(model);
        assertArrayEquals(ints(CHECK.get("ids")), window, "the fixture's window");
        double[][] theirs = llamaCpp.logits(gguf, window, 1026, temp);
        double[][] ours;
        try (ModelSource dequantized = ModelSource.open(folder)) {
            DecoderWeights weights = DecoderWeights.bind(dequantized.decoderConfig(), dequantized.tensors());
            float[] flat = DecoderForward.logits(weights.baseState(), window, 2);
            ours = new double[window.length][];
            for (int p = 0; p < window.length; p++) {
                ours[p] = new double[1026];
                for (int v = 0; v < 1026; v++) {
                    ours[p][v] = flat[p * 1026 + v];
                }
            }
        }
        double maxLogit = 0;
        int sameArgmax = 0;
        double nllOurs = 0;
        double nllTheirs = 0;
        for (int p = 0; p < window.length; p++) {
            for (int v = 0; v < 1026; v++) {
                maxLogit = Math.max(maxLogit, Math.abs(ours[p][v] - theirs[p][v]));
            }
            sameArgmax += argmax(ours[p]) == argmax(theirs[p]) ? 1 : 0;
            if (p + 1 < window.length) {
                nllOurs -= logSoftmax(ours[p], window[p + 1]);
                nllTheirs -= logSoftmax(theirs[p], window[p + 1]);
            }
        }
        nllOurs /= window.length - 1;
        nllTheirs /= window.length - 1;
        double relative = Math.abs(nllTheirs / nllOurs - 1);
        System.out.printf("%s GGUF (%,d bytes): mean NLL Lasermesh %.7f llama.cpp %.7f (rel. %.2e), max |dlogit| %.4f,"
                + " argmax %d/%d%n", format, Files.size(gguf), nllOurs, nllTheirs, relative, maxLogit, sameArgmax,
                window.length);
        boolean exact = scheme.isEmpty();
        assertTrue(relative <= (exact ? 1e-4 : 1e-3), format + ": mean NLL relative difference " + relative);
        assertTrue(maxLogit <= (exact ? 0.01 : 0.2), format + ": max |logit difference| " + maxLogit);
        assertTrue(sameArgmax >= (exact ? window.length : Math.ceil(0.97 * window.length)),
                format + ": same arg-max at " + sameArgmax + " of " + window.length + " positions");
    }

    /** [BOS] + the first 127 token ids of the demo text, tokenized by the model's tokenizer. */
    private static int[] window(Path model) throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            int[] ids = tokenizer.encode(Files.readString(Fixtures.path("text/sotu-2009-2021.txt")));
            int[] window = new int[128];
            window[0] = 1024;
            System.arraycopy(ids, 0, window, 1, 127);
            return window;
        }
    }

    private static double logSoftmax(double[] logits, int target) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[target] - max - Math.log(sum);
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).intValue();
        }
        return out;
    }
}
