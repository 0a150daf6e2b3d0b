package dev.lasermesh.core.search;

/**
 * One matrix a search may replace by its rank-{@code rank} reconstruction.
 *
 * @param matrix the tensor name in the checkpoint, e.g. {@code model.layers.5.mlp.down_proj.weight}
 * @param layer  the decoder layer (0 = first)
 * @param module the module type as the model catalogue names it: {@code down}, {@code up},
 *               {@code gate}, {@code q}, {@code k}, {@code v}, {@code o}, ...
 * @param rank   the rank the policy decided for this matrix (0 replaces it by zeros)
 * @param snr    the policy's signal-to-noise ratio ΣS[S&gt;thr]/ΣS[S≤thr] (DESIGN §3.1);
 *               {@code Infinity} when the noise sum is 0, {@code NaN} when not computed (only
 *               {@code snr-greedy} needs it)
 */
public record Candidate(String matrix, int layer, String module, int rank, double snr) {

    public Candidate {
        if (matrix == null || matrix.isBlank()) {
            throw new SearchParameterException("candidate: matrix must be a tensor name, got '" + matrix + "'");
        }
        if (module == null || module.isBlank()) {
            throw new SearchParameterException("candidate " + matrix + ": module must be a module type, got '"
                    + module + "'");
        }
        if (layer < 0) {
            throw new SearchParameterException("candidate " + matrix + ": layer must be >= 0, got " + layer);
        }
        if (rank < 0) {
            throw new SearchParameterException("candidate " + matrix + ": rank must be >= 0, got " + rank);
        }
    }

    /** The model change this candidate stands for. */
    public Replacement replacement() {
        return new Replacement(matrix, rank);
    }
}
