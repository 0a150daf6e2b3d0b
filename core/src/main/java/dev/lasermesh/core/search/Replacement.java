package dev.lasermesh.core.search;

/**
 * One overlay of a model state: the matrix {@code matrix} replaced by its rank-{@code rank}
 * reconstruction. A model state is the base model plus a set of replacements.
 *
 * @param matrix the tensor name in the checkpoint
 * @param rank   the rank kept
 */
public record Replacement(String matrix, int rank) {

    public Replacement {
        if (matrix == null || matrix.isBlank()) {
            throw new SearchParameterException("replacement: matrix must be a tensor name, got '" + matrix + "'");
        }
        if (rank < 0) {
            throw new SearchParameterException("replacement " + matrix + ": rank must be >= 0, got " + rank);
        }
    }
}
