package dev.lasermesh.core.search;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A deterministic stand-in for an evaluator: the perplexity is a function of the split and the SET of
 * replaced matrices (order-independent), with per-matrix effects of both signs and a set-dependent
 * interaction term. Every value is a multiple of 1/64 below 64, so sums are exact in double and equal
 * perplexities (ties) really occur.
 */
final class SyntheticPerplexity {

    private SyntheticPerplexity() {
    }

    static double of(EvaluationRequest request) {
        List<String> names = request.replacements().stream().map(r -> r.matrix() + ":" + r.rank()).sorted().toList();
        double perplexity = 16.0 + (request.split() == Split.REPORT ? 0.5 : 0.0);
        for (String name : names) {
            perplexity += (Math.floorMod(mix(name + request.split()), 9) - 4) / 32.0;
        }
        if (names.size() >= 2) {
            perplexity += (Math.floorMod(mix(names.stream().collect(Collectors.joining("|"))), 5) - 2) / 64.0;
        }
        return perplexity;
    }

    /** String.hashCode is specified by the JLS, so the values are the same on every JVM; mixed for spread. */
    private static int mix(String text) {
        int h = text.hashCode() * 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
