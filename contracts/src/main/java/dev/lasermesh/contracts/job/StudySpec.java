package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.MethodStudy;
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
 * {@code methods} (DESIGN §7.4, issue 14) is {@code lasermesh study methods}: perplexity against parameter
 * budget for svd, whitened and feature on the job's calibration, every selected matrix replaced at once by
 * its rank ⌊r·m·n/(m+n)⌋ approximation at each budget r; no search runs and the job ends with the table.
 *
 * <p>The fields its errors name are relative to the study object ({@code budgets[1]}): reading JSON puts them
 * under the object's path ({@code study.budgets[1]}).
 *
 * @param kind      {@code quantization}, {@code lora} or {@code methods}
 * @param laser     quantization only: the LASER matrices and ranks (as {@code study quantization
 *                  --laser-from} reads them from a report), each a matrix of the job's selection; null to
 *                  take the search's
 * @param adapter   lora only (required): the PEFT LoRA adapter folder, relative to a configured model root
 *                  or absolute inside one; resolved: its absolute real path
 * @param baseQuant lora only: {@code nf4} when the adapter was trained on the NF4 base (QLoRA), null or
 *                  {@code none} for the stored base; resolved: {@code none} or {@code nf4}
 * @param budgets   methods only: the parameter budgets r, each in (0, 1], in table order; default
 *                  {@link MethodStudy#DEFAULT_BUDGETS} (as {@code study methods --budgets})
 */
public record StudySpec(String kind, List<LaserRank> laser, String adapter, String baseQuant, List<Double> budgets) {

    /** The quantization study. */
    public static final String QUANTIZATION = "quantization";
    /** The LoRA/LASER order study. */
    public static final String LORA = "lora";
    /** The perplexity-against-budget study of the three methods. */
    public static final String METHODS = "methods";

    public StudySpec {
        if (!QUANTIZATION.equals(kind) && !LORA.equals(kind) && !METHODS.equals(kind)) {
            throw new ContractException("unknown study \"" + kind + "\" (valid: " + QUANTIZATION + ", " + LORA + ", "
                    + METHODS + ")", "kind");
        }
        budgets = budgets(kind, budgets);
        if (METHODS.equals(kind) && laser != null) {
            throw new ContractException("study methods sets every selected matrix's rank from each budget; leave "
                    + "study.laser out", "laser");
        }
        if (LORA.equals(kind)) {
            if (laser != null) {
                throw new ContractException("study lora chooses its LASER ranks one-shot with the job's policy; "
                        + "leave study.laser out", "laser");
            }
            if (adapter == null || adapter.isBlank()) {
                throw new ContractException("study lora needs the adapter folder (study.adapter)", "adapter");
            }
            baseQuant = baseQuantization(baseQuant).cliName();
        } else if (adapter != null || baseQuant != null) {
            throw new ContractException("study.adapter and study.baseQuant belong to study lora",
                    adapter != null ? "adapter" : "baseQuant");
        }
        if (laser != null) {
            laser = List.copyOf(laser);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < laser.size(); i++) {
                if (!seen.add(laser.get(i).tensor())) {
                    throw new ContractException("matrix " + laser.get(i).tensor() + " is listed twice",
                            "laser[" + i + "].tensor");
                }
            }
        }
    }

    /** A quantization study. */
    public StudySpec(String kind, List<LaserRank> laser) {
        this(kind, laser, null, null, null);
    }

    /** A study without budgets (quantization or LoRA). */
    public StudySpec(String kind, List<LaserRank> laser, String adapter, String baseQuant) {
        this(kind, laser, adapter, baseQuant, null);
    }

    /** Whether this is the LoRA order study. */
    public boolean lora() {
        return LORA.equals(kind);
    }

    /** Whether this is the methods study. */
    public boolean methods() {
        return METHODS.equals(kind);
    }

    /**
     * Whether the study runs right after the analyses, without a search (given LASER ranks, the LoRA study,
     * the methods study).
     */
    public boolean withoutSearch() {
        return laser != null || lora() || methods();
    }

    /** The same study with the adapter's resolved path. */
    public StudySpec withAdapter(String resolved) {
        return new StudySpec(kind, laser, resolved, baseQuant, budgets);
    }

    /** A methods study's budgets, checked, defaulted; null for the other studies, which take none. */
    private static List<Double> budgets(String kind, List<Double> given) {
        if (!METHODS.equals(kind)) {
            if (given != null) {
                throw new ContractException("study.budgets belongs to study methods", "budgets");
            }
            return null;
        }
        if (given == null) {
            return MethodStudy.DEFAULT_BUDGETS;
        }
        if (given.isEmpty() || given.size() > SpecLimits.MAX_LIST_ENTRIES) {
            throw new ContractException("study.budgets must list 1 to " + SpecLimits.MAX_LIST_ENTRIES + " budgets, got "
                    + given.size(), "budgets");
        }
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            Double r = given.get(i);
            String field = "budgets[" + i + "]";
            if (r == null || !(r > 0 && r <= 1)) {
                throw new ContractException("a parameter budget must lie in (0, 1], got " + r, field);
            }
            if (!seen.add(r)) {
                throw new ContractException("budget " + r + " is listed twice", field);
            }
        }
        return List.copyOf(given);
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
                    "baseQuant");
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
                throw new ContractException("a LASER matrix needs its tensor name", "tensor");
            }
            if (rank < 0) {
                throw new ContractException("rank of " + tensor + " must be >= 0, got " + rank, "rank");
            }
        }
    }
}
