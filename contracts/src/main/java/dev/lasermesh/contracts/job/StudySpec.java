package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.lora.BaseQuantization;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A study a job runs before its output. {@code quantization} (DESIGN §7.2, issue 9) evaluates core's
 * quantization-study variants (base, Q8_0, Q4_0, LASER dense and factored, each alone and quantized),
 * each variant scored by the evaluators in shards like a search candidate, and keeps the table in the
 * job. The LASER part is {@code laser} when given (no search runs), else what the job's search accepted.
 * {@code lora} (DESIGN §7.3, issue 10) is the LoRA/LASER order study of {@code lasermesh study lora}:
 * base, LASER, merged, LoRA→LASER and LASER→LoRA, with one-shot LASER of the job's selection under its
 * policy on each side; no search runs and the job ends with the table.
 *
 * @param kind      {@code quantization} or {@code lora}
 * @param laser     quantization only: the LASER matrices and ranks (as {@code study quantization
 *                  --laser-from} reads them from a report), each a matrix of the job's selection; null to
 *                  take the search's
 * @param adapter   lora only (required): the PEFT LoRA adapter folder, relative to a configured model root
 *                  or absolute inside one; resolved: its absolute real path
 * @param baseQuant lora only: {@code nf4} when the adapter was trained on the NF4 base (QLoRA), null or
 *                  {@code none} for the stored base; resolved: {@code none} or {@code nf4}
 */
public record StudySpec(String kind, List<LaserRank> laser, String adapter, String baseQuant) {

    /** The quantization study. */
    public static final String QUANTIZATION = "quantization";
    /** The LoRA/LASER order study. */
    public static final String LORA = "lora";

    public StudySpec {
        if (!QUANTIZATION.equals(kind) && !LORA.equals(kind)) {
            throw new ContractException("unknown study \"" + kind + "\" (valid: " + QUANTIZATION + ", " + LORA + ")",
                    "study.kind");
        }
        if (LORA.equals(kind)) {
            if (laser != null) {
                throw new ContractException("study lora chooses its LASER ranks one-shot with the job's policy; "
                        + "leave study.laser out", "study.laser");
            }
            if (adapter == null || adapter.isBlank()) {
                throw new ContractException("study lora needs the adapter folder (study.adapter)", "study.adapter");
            }
            baseQuant = baseQuantization(baseQuant).cliName();
        } else if (adapter != null || baseQuant != null) {
            throw new ContractException("study.adapter and study.baseQuant belong to study lora",
                    adapter != null ? "study.adapter" : "study.baseQuant");
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

    /** A quantization study. */
    public StudySpec(String kind, List<LaserRank> laser) {
        this(kind, laser, null, null);
    }

    /** Whether this is the LoRA order study. */
    public boolean lora() {
        return LORA.equals(kind);
    }

    /** Whether the study runs right after the analyses, without a search (given LASER ranks, or the LoRA study). */
    public boolean withoutSearch() {
        return laser != null || lora();
    }

    /** The same study with the adapter's resolved path. */
    public StudySpec withAdapter(String resolved) {
        return new StudySpec(kind, laser, resolved, baseQuant);
    }

    /** The base quantization of a LoRA study. */
    public BaseQuantization quantization() {
        return baseQuantization(baseQuant);
    }

    private static BaseQuantization baseQuantization(String given) {
        if (given == null) {
            return BaseQuantization.NONE;
        }
        try {
            return BaseQuantization.parse(given);
        } catch (InvalidInputException e) {
            throw new ContractException("unknown study.baseQuant " + Quoted.of(given) + " (valid: none, nf4)",
                    "study.baseQuant");
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
