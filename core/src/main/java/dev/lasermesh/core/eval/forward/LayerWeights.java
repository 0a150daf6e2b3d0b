package dev.lasermesh.core.eval.forward;

/**
 * The tensors of one decoder layer, overlays already applied. Biases are null when the checkpoint has
 * none (Llama, Mistral); Qwen2 has q/k/v biases.
 */
record LayerWeights(
        float[] inputNorm,
        WeightMatrix q, float[] qBias,
        WeightMatrix k, float[] kBias,
        WeightMatrix v, float[] vBias,
        WeightMatrix o, float[] oBias,
        float[] postAttentionNorm,
        WeightMatrix gate,
        WeightMatrix up,
        WeightMatrix down) {
}
