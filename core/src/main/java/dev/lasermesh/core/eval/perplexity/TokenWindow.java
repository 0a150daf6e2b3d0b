package dev.lasermesh.core.eval.perplexity;

/**
 * One forward pass of a protocol: the tokens fed to the model (positions 0..n−1, a fresh sequence) and
 * the first scored prediction; predictions {@code firstScored ≤ p < n−1} (of token p+1) are scored.
 *
 * @param text        index of the text it comes from
 * @param tokens      the input ids
 * @param firstScored first prediction position that counts
 */
public record TokenWindow(int text, int[] tokens, int firstScored) {

    public TokenWindow {
        if (firstScored < 0 || firstScored >= tokens.length - 1) {
            throw new IllegalArgumentException("window of " + tokens.length + " tokens cannot score from position "
                    + firstScored);
        }
    }

    /** Number of tokens this window scores. */
    public int scoredCount() {
        return tokens.length - 1 - firstScored;
    }
}
