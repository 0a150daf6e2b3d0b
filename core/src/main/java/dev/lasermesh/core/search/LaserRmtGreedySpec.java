package dev.lasermesh.core.search;

import dev.lasermesh.core.model.family.ModelFamilies;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * laserRMT's greedy backward scan ({@code rmt_laser.py}, {@code search_optimal_layer_modification};
 * anchors-algorithms.md §1.2): candidates are visited from the last layer to the first and, within a
 * layer, in the order of {@code types}; each is applied on top of the accepted ones and kept iff the
 * perplexity beats the best so far — strictly ({@code ppl < best}, the script's rule) or, with
 * {@code acceptTies}, {@code ppl <= best}; the scan stops once {@code maxAccepted} candidates are
 * accepted. Candidates whose module is not in {@code types} are not scanned (laserRMT leaves
 * {@code gate} out).
 *
 * @param candidates  the matrices with the rank the policy decided, in any order
 * @param types       module types in scan order within a layer; default down, up, q, k, v, o
 * @param maxAccepted stop after this many acceptances; −1 = no cap; default 5
 * @param acceptTies  accept on equal perplexity too; default false
 */
public record LaserRmtGreedySpec(List<Candidate> candidates, List<String> types, int maxAccepted,
                                 boolean acceptTies) implements SearchSpec {

    public static final String NAME = "laserrmt-greedy";
    /** laserRMT's scan order, the llama family's search order (rmt_laser.py: down_proj, up_proj, q, k, v, o). */
    public static final List<String> DEFAULT_TYPES = ModelFamilies.LLAMA.searchOrder();
    public static final int DEFAULT_MAX_ACCEPTED = 5;

    public LaserRmtGreedySpec {
        candidates = CandidateLists.distinctMatrices(NAME, candidates);
        types = distinctTypes(types);
        if (maxAccepted < -1) {
            throw new SearchParameterException(NAME + ": maxAccepted must be >= -1 (-1 = no cap), got " + maxAccepted);
        }
        if (scanOrder(candidates, types).isEmpty()) {
            throw new SearchParameterException(NAME + ": no candidate has a module in types " + types);
        }
    }

    /** laserRMT's defaults: types down, up, q, k, v, o; at most 5 accepted; strict comparison. */
    public static LaserRmtGreedySpec withDefaults(List<Candidate> candidates) {
        return new LaserRmtGreedySpec(candidates, DEFAULT_TYPES, DEFAULT_MAX_ACCEPTED, false);
    }

    @Override
    public String strategyName() {
        return NAME;
    }

    /** The candidates in scan order: layers descending, then types in the configured order. */
    List<Candidate> scanOrder() {
        return scanOrder(candidates, types);
    }

    private static List<Candidate> scanOrder(List<Candidate> candidates, List<String> types) {
        List<Candidate> order = candidates.stream()
                .filter(c -> types.contains(c.module()))
                .sorted(Comparator.comparingInt(Candidate::layer).reversed()
                        .thenComparingInt(c -> types.indexOf(c.module())))
                .toList();
        for (int i = 1; i < order.size(); i++) {
            Candidate previous = order.get(i - 1);
            Candidate current = order.get(i);
            if (previous.layer() == current.layer() && previous.module().equals(current.module())) {
                throw new SearchParameterException(NAME + ": layer " + current.layer() + " module " + current.module()
                        + " has two candidates (" + previous.matrix() + ", " + current.matrix() + ")");
            }
        }
        return order;
    }

    private static List<String> distinctTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw new SearchParameterException(NAME + ": types must list at least one module type");
        }
        Set<String> seen = new HashSet<>();
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw new SearchParameterException(NAME + ": types must not contain a blank module type");
            }
            if (!seen.add(type)) {
                throw new SearchParameterException(NAME + ": types lists '" + type + "' more than once");
            }
        }
        return List.copyOf(types);
    }
}
