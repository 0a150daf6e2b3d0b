package dev.lasermesh.core.eval.perplexity;

import dev.lasermesh.core.eval.EvalInputException;
import java.util.OptionalInt;

/**
 * A protocol with its parameters: window length L, stride (sliding only; equal to L otherwise) and an
 * optional limit on the tokens taken from each text (its first {@code maxTokens} ids, before BOS is
 * added).
 */
public record ProtocolSpec(Protocol protocol, int window, int stride, OptionalInt maxTokens) {

    public ProtocolSpec {
        if (window < 2) {
            throw new EvalInputException("window must be at least 2 tokens, got " + window);
        }
        if (protocol != Protocol.SLIDING && stride != window) {
            throw new EvalInputException("stride " + stride + " applies to the sliding protocol only; "
                    + protocol.cliName() + " windows do not overlap (stride = window = " + window + ")");
        }
        if (stride < 1 || stride > window) {
            throw new EvalInputException("stride must be between 1 and the window " + window + ", got " + stride);
        }
        if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
            throw new EvalInputException("max tokens must be positive, got " + maxTokens.getAsInt());
        }
    }

    /**
     * The spec a command line describes: {@code stride} defaults to the window for laserrmt and
     * chunked-bos (where it must equal the window) and to half the window for sliding (Hugging Face's
     * example uses max_length 1024 with stride 512; the fixtures use 256 with 128).
     */
    public static ProtocolSpec of(Protocol protocol, int window, OptionalInt stride, OptionalInt maxTokens) {
        int s = stride.orElse(protocol == Protocol.SLIDING ? Math.max(1, window / 2) : window);
        return new ProtocolSpec(protocol, window, s, maxTokens);
    }

    /** laserRMT windows of L tokens. */
    public static ProtocolSpec laserRmt(int window) {
        return new ProtocolSpec(Protocol.LASERRMT, window, window, OptionalInt.empty());
    }

    /** Hugging Face sliding windows of L tokens every {@code stride}. */
    public static ProtocolSpec sliding(int window, int stride) {
        return new ProtocolSpec(Protocol.SLIDING, window, stride, OptionalInt.empty());
    }

    /** BOS-prefixed chunks of L tokens. */
    public static ProtocolSpec chunkedBos(int window) {
        return new ProtocolSpec(Protocol.CHUNKED_BOS, window, window, OptionalInt.empty());
    }

    /** The same protocol on the first {@code limit} ids of each text. */
    public ProtocolSpec withMaxTokens(int limit) {
        return new ProtocolSpec(protocol, window, stride, OptionalInt.of(limit));
    }
}
