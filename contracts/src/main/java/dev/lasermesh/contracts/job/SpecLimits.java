package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import java.util.List;

/**
 * Upper bounds on the sizes of a job spec and its values, far beyond any real use. The validator checks
 * them before anything else looks at the values, so that an absurd one (a layer list of megabytes) is
 * refused at once, naming its field, instead of being parsed for seconds and stored verbatim.
 */
public final class SpecLimits {

    /** The longest job spec document (a real one is a few hundred characters). */
    public static final int MAX_DOCUMENT_CHARS = 64 * 1024;
    /** The longest path: the model folder, each text, the calibration text. */
    public static final int MAX_PATH_CHARS = 1024;
    /** The longest layer or module list ({@code "0,2,4-7"}: every layer of a 100-layer model written out fits). */
    public static final int MAX_SELECTION_CHARS = 512;
    /** The longest name: a policy, a protocol, a module type, a method. */
    public static final int MAX_NAME_CHARS = 64;
    /** The most evaluation texts. */
    public static final int MAX_TEXTS = 16;
    /** The most entries of a strategy's list (types, rhos). */
    public static final int MAX_LIST_ENTRIES = 64;

    private SpecLimits() {
    }

    /**
     * Checks every bounded value of {@code spec}.
     *
     * @throws ContractException naming the first field beyond its bound
     */
    static void check(JobSpec spec) {
        length(spec.model(), MAX_PATH_CHARS, "model");
        if (spec.matrices() != null) {
            length(spec.matrices().layers(), MAX_SELECTION_CHARS, "matrices.layers");
            length(spec.matrices().modules(), MAX_SELECTION_CHARS, "matrices.modules");
        }
        if (spec.policy() != null) {
            length(spec.policy().policy(), MAX_NAME_CHARS, "policy");
        }
        if (spec.strategy() instanceof StrategySpec.LaserRmtGreedy greedy && greedy.types() != null) {
            entries(greedy.types(), MAX_LIST_ENTRIES, MAX_NAME_CHARS, "strategy.types");
        }
        if (spec.strategy() instanceof StrategySpec.LaserGrid grid && grid.rhos() != null) {
            count(grid.rhos(), MAX_LIST_ENTRIES, "strategy.rhos");
        }
        if (spec.evaluation() != null) {
            if (spec.evaluation().texts() != null) {
                entries(spec.evaluation().texts(), MAX_TEXTS, MAX_PATH_CHARS, "evaluation.texts");
            }
            length(spec.evaluation().protocol(), MAX_NAME_CHARS, "evaluation.protocol");
        }
        length(spec.method(), MAX_NAME_CHARS, "method");
        if (spec.calibration() != null) {
            length(spec.calibration().text(), MAX_PATH_CHARS, "calibration.text");
        }
        if (spec.study() != null) {
            length(spec.study().adapter(), MAX_PATH_CHARS, "study.adapter");
        }
    }

    private static void entries(List<String> values, int maxEntries, int maxChars, String field) {
        count(values, maxEntries, field);
        for (int i = 0; i < values.size(); i++) {
            length(values.get(i), maxChars, field + "[" + i + "]");
        }
    }

    private static void count(List<?> values, int max, String field) {
        if (values.size() > max) {
            throw new ContractException(field + " lists " + values.size() + " entries; at most " + max
                    + " are accepted", field);
        }
    }

    private static void length(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw new ContractException(field + " is " + value.length() + " characters long; at most " + max
                    + " are accepted", field);
        }
    }
}
