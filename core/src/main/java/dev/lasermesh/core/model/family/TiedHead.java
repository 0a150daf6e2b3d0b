package dev.lasermesh.core.model.family;

/**
 * A family whose output head may be its embedding matrix: with the config flag set, transformers ties
 * them after loading (so a stored head tensor is not used either), and the head is not a matrix of
 * its own.
 *
 * @param head          the head module, e.g. {@code lm_head}
 * @param embedding     the embedding module it is tied to, e.g. {@code embed}
 * @param configField   the config.json flag, {@code tie_word_embeddings}
 * @param tiedByDefault the flag's value when config.json leaves it out (the family's config class default)
 */
public record TiedHead(String head, String embedding, String configField, boolean tiedByDefault) {

    /** {@code lm_head} tied to {@code embed} by {@code tie_word_embeddings}. */
    public static TiedHead lmHead(boolean tiedByDefault) {
        return new TiedHead("lm_head", "embed", "tie_word_embeddings", tiedByDefault);
    }
}
