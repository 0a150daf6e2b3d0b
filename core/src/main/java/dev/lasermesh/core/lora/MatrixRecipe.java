package dev.lasermesh.core.lora;

/**
 * How one matrix of a study variant is built from the base matrix W (as the adapter saw it, see
 * {@link BaseWeights}) and the adapter's update ΔW; every result is rounded to the base dtype, as a
 * model folder would store it. A plain value, so that variants can be sent to other processes.
 *
 * @param matrix the tensor name
 * @param kind   which construction
 * @param rank   k for the LASER kinds, 0 otherwise
 */
public record MatrixRecipe(String matrix, Kind kind, int rank) {

    /** The constructions. */
    public enum Kind {
        /** W itself: the NF4 round trip of the stored matrix under {@code --base-quant nf4}. */
        BASE,
        /** W' = round(W + ΔW). */
        MERGED,
        /** round(W_k), the rank-k truncation of W. */
        LASER,
        /** round(W'_k), the rank-k truncation of the stored W' (LoRA, then LASER). */
        MERGED_THEN_LASER,
        /** round(round(W_k) + ΔW): the adapter added to the LASER-reduced base (LASER, then LoRA). */
        LASER_THEN_MERGED
    }

    public MatrixRecipe {
        boolean laser = kind == Kind.LASER || kind == Kind.MERGED_THEN_LASER || kind == Kind.LASER_THEN_MERGED;
        if (laser ? rank < 0 : rank != 0) {
            throw new IllegalArgumentException(kind + " of " + matrix + " cannot have rank " + rank);
        }
    }
}
