package dev.lasermesh.core.eval.perplexity;

import dev.lasermesh.core.eval.EvalInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The windows a protocol feeds to the model for a set of texts, in order (text by text). Windows of
 * all texts are pooled: laserRMT averages its window means over all datasets together, the other
 * protocols weight by tokens over all texts. A plan can be split into shards whose
 * {@link PartialSums} merge to the result of the whole plan.
 *
 * @param spec    protocol and parameters
 * @param windows the forward passes
 */
public record WindowPlan(ProtocolSpec spec, List<TokenWindow> windows) {

    public WindowPlan {
        windows = List.copyOf(windows);
    }

    /**
     * The windows of {@code spec} over {@code texts}, each cut to its first {@code spec.maxTokens()} ids.
     *
     * @throws EvalInputException naming the text when it is empty or too short for one window
     */
    public static WindowPlan of(ProtocolSpec spec, List<TokenizedText> texts, int bosId) {
        if (texts.isEmpty()) {
            throw new EvalInputException("no evaluation text given");
        }
        List<TokenWindow> windows = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            TokenizedText text = texts.get(t);
            int[] ids = text.ids();
            if (spec.maxTokens().isPresent() && ids.length > spec.maxTokens().getAsInt()) {
                ids = Arrays.copyOf(ids, spec.maxTokens().getAsInt());
            }
            if (ids.length == 0) {
                throw new EvalInputException("text " + text.name() + " is empty (no tokens)");
            }
            int before = windows.size();
            switch (spec.protocol()) {
                case LASERRMT -> laserRmt(t, withBos(bosId, ids), spec.window(), windows);
                case SLIDING -> sliding(t, withBos(bosId, ids), spec.window(), spec.stride(), windows);
                case CHUNKED_BOS -> chunkedBos(t, ids, bosId, spec.window(), windows);
            }
            if (windows.size() == before) {
                throw new EvalInputException("text " + text.name() + " has " + ids.length + " tokens"
                        + (spec.maxTokens().isPresent() ? " (after the limit of " + spec.maxTokens().getAsInt() + ")" : "")
                        + ", too few for one " + spec.protocol().cliName() + " window of " + spec.window() + " tokens");
            }
        }
        return new WindowPlan(spec, windows);
    }

    private static int[] withBos(int bos, int[] ids) {
        int[] s = new int[ids.length + 1];
        s[0] = bos;
        System.arraycopy(ids, 0, s, 1, ids.length);
        return s;
    }

    /** floor(n / L) non-overlapping windows of BOS + ids, remainder dropped; all L−1 predictions scored. */
    private static void laserRmt(int text, int[] stream, int window, List<TokenWindow> out) {
        for (int start = 0; start + window <= stream.length; start += window) {
            out.add(new TokenWindow(text, Arrays.copyOfRange(stream, start, start + window), 0));
        }
    }

    /**
     * Hugging Face's loop: windows [begin, min(begin + L, n)) for begin = 0, s, 2s, … until one reaches the
     * end; each scores only the targets after the previous window's end ({@code trg_len = end − prev_end}),
     * the first window all of its predictions.
     */
    private static void sliding(int text, int[] stream, int window, int stride, List<TokenWindow> out) {
        if (stream.length < 2) {
            return;
        }
        int previousEnd = 0;
        for (int begin = 0; begin < stream.length; begin += stride) {
            int end = Math.min(begin + window, stream.length);
            int length = end - begin;
            int targets = end - previousEnd;
            int scored = targets < length ? targets : length - 1;
            if (scored > 0) {
                out.add(new TokenWindow(text, Arrays.copyOfRange(stream, begin, end), length - 1 - scored));
            }
            previousEnd = end;
            if (end == stream.length) {
                break;
            }
        }
    }

    /** floor(n / L) chunks of L ids, each fed as BOS + chunk with all L ids scored. */
    private static void chunkedBos(int text, int[] ids, int bos, int window, List<TokenWindow> out) {
        for (int start = 0; start + window <= ids.length; start += window) {
            int[] w = new int[window + 1];
            w[0] = bos;
            System.arraycopy(ids, start, w, 1, window);
            out.add(new TokenWindow(text, w, 0));
        }
    }

    /** Longest window, what a workspace must hold. */
    public int maxLength() {
        return windows.stream().mapToInt(w -> w.tokens().length).max().orElse(0);
    }

    /** Shard {@code index} of {@code count}: a contiguous block of windows, sizes differing by at most one. */
    public WindowPlan shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count);
        }
        int n = windows.size();
        return range((int) ((long) n * index / count), (int) ((long) n * (index + 1) / count));
    }

    /** Windows {@code from} (inclusive) to {@code to} (exclusive), e.g. a validation or report split. */
    public WindowPlan range(int from, int to) {
        return new WindowPlan(spec, windows.subList(from, to));
    }

    /** The result of this plan's complete sums. */
    public PerplexityResult result(PartialSums sums) {
        return PerplexityResult.of(sums, spec);
    }
}
