package dev.lasermesh.contracts.job;

/**
 * Which matrices of the model a job works on: the layers × the per-layer modules of the model's family.
 *
 * @param layers  layer list such as {@code "0-5"} or {@code "0,2,4-5"}, or {@code "all"} (default);
 *                checked against the model's {@code num_hidden_layers}
 * @param modules comma-separated per-layer modules of the family, e.g. {@code q,k,v,o,gate,up,down} for
 *                llama (Hugging Face names such as {@code down_proj} also accepted); default the family's
 *                default modules (for llama all seven); resolved: short names in the family's order
 */
public record MatrixSelection(String layers, String modules) {

    public static final String ALL_LAYERS = "all";
}
