package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A study a job runs before its output (DESIGN §7.2, issue 9): {@code quantization} evaluates core's
 * quantization-study variants (base, Q8_0, Q4_0, LASER dense and factored, each alone and quantized),
 * each variant scored by the evaluators in shards like a search candidate, and keeps the table in the
 * job. The LASER part is {@code laser} when given (no search runs), else what the job's search accepted.
 *
 * @param kind  {@code quantization}, the only study the mesh runs so far
 * @param laser the LASER matrices and ranks (as {@code study quantization --laser-from} reads them from
 *              a report), each a matrix of the job's selection; null to take the search's
 */
public record StudySpec(String kind, List<LaserRank> laser) {

    /** The quantization study. */
    public static final String QUANTIZATION = "quantization";

    public StudySpec {
        if (!QUANTIZATION.equals(kind)) {
            throw new ContractException("unknown study \"" + kind + "\" (valid: " + QUANTIZATION + ")", "study.kind");
        }
        if (laser != null) {
            laser = List.copyOf(laser);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < laser.size(); i++) {
                if (!seen.add(laser.get(i).tensor())) {
                    throw new ContractException("matrix " + laser.get(i).tensor() + " is listed twice",
                            "study.laser[" + i + "].tensor");
                }
            }
        }
    }

    /**
     * One LASER matrix of a study.
     *
     * @param tensor the matrix's tensor name, e.g. {@code model.layers.5.mlp.down_proj.weight}
     * @param rank   the rank it is reduced to, ≥ 0
     */
    public record LaserRank(String tensor, int rank) {

        public LaserRank {
            if (tensor == null || tensor.isBlank()) {
                throw new ContractException("a LASER matrix needs its tensor name", "study.laser.tensor");
            }
            if (rank < 0) {
                throw new ContractException("rank of " + tensor + " must be >= 0, got " + rank, "study.laser.rank");
            }
        }
    }
}
