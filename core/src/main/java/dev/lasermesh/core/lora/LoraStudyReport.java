package dev.lasermesh.core.lora;

import java.util.List;
import java.util.Map;

/**
 * The result of {@code lasermesh study lora}: the perplexity of each variant of the order study on
 * each text, with what LASER reduced on each side.
 *
 * @param base       the base model
 * @param adapter    the adapter folder
 * @param baseQuant  {@code none} or {@code nf4}
 * @param policy     the rank policy view
 * @param protocol   the perplexity protocol and its parameters
 * @param laser      the ranks on the base and on the merged side
 * @param texts      the texts, in column order
 * @param variants   one row per variant
 */
public record LoraStudyReport(String base, String adapter, String baseQuant, Map<String, Object> policy,
                              Map<String, Object> protocol, LaserChoice laser, List<String> texts,
                              List<VariantResult> variants) {

    public LoraStudyReport {
        texts = List.copyOf(texts);
        variants = List.copyOf(variants);
    }

    /**
     * One variant's perplexities.
     *
     * @param name        the variant
     * @param description what it is
     * @param perplexity  text name → perplexity
     */
    public record VariantResult(String name, String description, Map<String, Double> perplexity) {

        public VariantResult {
            perplexity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perplexity));
        }
    }
}
