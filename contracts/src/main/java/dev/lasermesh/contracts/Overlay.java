package dev.lasermesh.contracts;

import java.util.List;

/**
 * One base-model tensor replaced by a reduced one: a model state is the base model plus overlays
 * (DESIGN §2 step 5). A dense overlay is one tensor of the base tensor's shape; a factored overlay is
 * the pair [left, right] = [U_k·√S_k (out×k), √S_k·V_kᵀ (k×in)] whose product replaces the base tensor.
 *
 * @param replaces the base model's tensor name, e.g. {@code model.layers.5.mlp.down_proj.weight}
 * @param tensors  one tensor (dense) or two matrices [left, right] (factored) in the artifact store
 */
public record Overlay(String replaces, List<TensorRef> tensors) {

    public Overlay {
        Require.text(replaces, "replaces");
        tensors = Require.nonEmpty(tensors, "tensors");
        if (tensors.size() > 2) {
            throw new ContractException("an overlay is one dense tensor or two factors, got " + tensors.size()
                    + " tensors", "tensors");
        }
        if (tensors.size() == 2) {
            List<Long> left = tensors.get(0).shape();
            List<Long> right = tensors.get(1).shape();
            if (left.size() != 2 || right.size() != 2 || !left.get(1).equals(right.get(0))) {
                throw new ContractException("factors of " + replaces + " do not multiply: left " + left + ", right "
                        + right + " (expected [out, k] and [k, in])", "tensors");
            }
        }
    }

    /** Dense for one tensor, factored for two. */
    public OutputForm form() {
        return tensors.size() == 1 ? OutputForm.DENSE : OutputForm.FACTORED;
    }
}
