package dev.lasermesh.core.tensor;

/**
 * A tensor to be written under a name: the unit {@link ModelWriter#rewrite} puts in place of a
 * replaced tensor.
 *
 * @param name    the tensor name in the output
 * @param content dtype, shape and values
 */
public record NamedTensor(String name, TensorReplacement content) {
}
