package dev.lasermesh.core.eval.perplexity;

import dev.lasermesh.core.eval.EvalInputException;
import java.util.Arrays;

/** The perplexity protocols of DESIGN §3.2, by their command-line names. */
public enum Protocol {
    /**
     * laserRMT's {@code calculate_model_perplexity}: one BOS before the whole text, non-overlapping
     * windows (remainder dropped), each window's mean loss over its L−1 shifted positions, perplexity
     * = exp(mean over windows).
     */
    LASERRMT("laserrmt"),
    /**
     * Hugging Face's "perplexity of fixed-length models" loop: windows of L tokens every {@code stride}
     * tokens over BOS + text, each token scored once, token-weighted.
     */
    SLIDING("sliding"),
    /** Chunks of L tokens, each fed as BOS + chunk, all L scored, token-weighted. */
    CHUNKED_BOS("chunked-bos");

    private final String cliName;

    Protocol(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in results. */
    public String cliName() {
        return cliName;
    }

    /** Whether the perplexity is the exponential of the mean of window means (laserRMT) rather than token-weighted. */
    public boolean windowWeighted() {
        return this == LASERRMT;
    }

    /** Parses a command-line name. */
    public static Protocol fromName(String name) {
        return Arrays.stream(values()).filter(p -> p.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new EvalInputException("unknown perplexity protocol \"" + name
                        + "\" (known: laserrmt, sliding, chunked-bos)"));
    }
}
