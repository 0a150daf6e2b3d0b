package dev.lasermesh.contracts.job;

/**
 * Which matrices of the model a job works on: the decoder layers × the per-layer module types.
 *
 * @param layers  layer list such as {@code "0-5"} or {@code "0,2,4-5"}, or {@code "all"} (default);
 *                checked against the model's {@code num_hidden_layers}
 * @param modules comma-separated module types among {@code q,k,v,o,gate,up,down} (Hugging Face names
 *                such as {@code down_proj} also accepted); default all seven; resolved: short names in
 *                that order
 */
public record MatrixSelection(String layers, String modules) {

    public static final String ALL_LAYERS = "all";
    public static final String ALL_MODULES = "q,k,v,o,gate,up,down";

    /** Every layer, every per-layer module. */
    public static final MatrixSelection ALL = new MatrixSelection(ALL_LAYERS, ALL_MODULES);
}
