package dev.lasermesh.core.eval.perplexity;

/**
 * The token ids of one evaluation text, without BOS/EOS.
 *
 * @param name where the text came from (a path), for messages
 * @param ids  the ids
 */
public record TokenizedText(String name, int[] ids) {
}
