package dev.lasermesh.core.model.family;

/** Where a tensor of a family occurs: once per model, once per layer, or once per expert of each layer. */
public enum Scope {
    /** Once per model (embeddings, the output head); layer −1 in a {@link dev.lasermesh.core.model.MatrixRef}. */
    MODEL,
    /** Once per layer; the name pattern has {@code {layer}}. */
    LAYER,
    /** Once per expert of each layer (mixture of experts); the name pattern has {@code {layer}} and {@code {expert}}. */
    EXPERT
}
