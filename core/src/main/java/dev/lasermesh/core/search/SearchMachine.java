package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A search (DESIGN §3.3) as a pure state machine: no I/O, no threads, no evaluation. A driver — the
 * standalone loop or the gateway's orchestrator — asks it for evaluation requests, runs them wherever
 * it likes, and feeds the perplexities back; the machine decides acceptances, what to evaluate next and
 * when it is done. Not thread-safe: one driver thread owns a machine.
 *
 * <p>Parallelism keeps the sequential semantics: {@link #issue(int)} hands out up to as many requests
 * as the driver has free evaluators, speculating for greedy strategies that pending candidates are
 * rejected; {@link #record} accepts results in any order and ignores duplicates and results of
 * requests that a later decision made useless (at-least-once delivery). The trace, the accepted set
 * and the final perplexity are those of the sequential definition whatever the parallelism and the
 * arrival order.
 */
public final class SearchMachine {

    private final SearchSpec spec;
    private final MetricDirection direction;
    private final Strategy strategy;
    private final Map<String, Double> results = new LinkedHashMap<>();
    private final Map<String, EvaluationRequest> outstanding = new LinkedHashMap<>();

    private SearchMachine(SearchSpec spec, MetricDirection direction) {
        if (spec == null) {
            throw new SearchParameterException("search: spec is missing");
        }
        this.spec = spec;
        this.direction = direction;
        this.strategy = switch (spec) {
            case LaserRmtGreedySpec s -> GreedyStrategy.laserRmt(s, direction);
            case SnrGreedySpec s -> GreedyStrategy.snr(s, direction);
            case LaserGridSpec s -> new LaserGridStrategy(s, direction);
            case OneShotSpec s -> new OneShotStrategy(s);
            case SfsdSurgicalSpec s -> new SurgicalStrategy(s, direction);
        };
    }

    /** A new perplexity search (lower is better) with nothing evaluated. */
    public static SearchMachine start(SearchSpec spec) {
        return new SearchMachine(spec, MetricDirection.LOWER_IS_BETTER);
    }

    /** A new search comparing a metric of the given direction, with nothing evaluated. */
    public static SearchMachine start(SearchSpec spec, MetricDirection direction) {
        return new SearchMachine(spec, direction);
    }

    /**
     * Rebuilds a search from a snapshot: same decisions, same outstanding requests, hence the same next
     * requests as the machine the snapshot was taken from.
     *
     * @throws SearchParameterException if the snapshot's results or outstanding ids do not belong to
     *                                  its specification
     */
    public static SearchMachine restore(SearchSnapshot snapshot) {
        SearchMachine machine = new SearchMachine(snapshot.spec(), snapshot.direction());
        for (EvaluationResult result : snapshot.results()) {
            if (!machine.record(result)) {
                throw new SearchParameterException("search snapshot: result " + result.requestId()
                        + " is not one this " + snapshot.spec().strategyName() + " search uses");
            }
        }
        Map<String, EvaluationRequest> wanted = machine.strategy.wanted().stream()
                .collect(Collectors.toMap(EvaluationRequest::id, Function.identity(), (a, b) -> a));
        for (String id : snapshot.outstanding()) {
            EvaluationRequest request = wanted.get(id);
            if (request == null || machine.results.containsKey(id)) {
                throw new SearchParameterException("search snapshot: outstanding request " + id
                        + " is not one this " + snapshot.spec().strategyName() + " search awaits");
            }
            machine.outstanding.put(id, request);
        }
        return machine;
    }

    /**
     * Up to {@code slots} new requests, most urgent first, each marked outstanding. Requests already
     * outstanding or answered are not handed out again; an empty list means nothing more can start
     * until a result comes back (or the search is done).
     */
    public List<EvaluationRequest> issue(int slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("search: slots must be >= 0, got " + slots);
        }
        List<EvaluationRequest> issued = new ArrayList<>();
        for (EvaluationRequest request : strategy.wanted()) {
            if (issued.size() == slots) {
                break;
            }
            if (!results.containsKey(request.id()) && !outstanding.containsKey(request.id())) {
                outstanding.put(request.id(), request);
                issued.add(request);
            }
        }
        return issued;
    }

    /**
     * Takes a result and makes every decision it allows.
     *
     * @throws SearchParameterException when the value is out of the metric's range (a perplexity below 1,
     *                                  an accuracy outside [0, 1])
     * @return true if the result was used; false if it was ignored: a duplicate, or for a request no
     *         longer (or never) wanted, e.g. a speculative probe made useless by an acceptance
     */
    public boolean record(EvaluationResult result) {
        String id = result.requestId();
        direction.check(id, result.perplexity());
        if (results.containsKey(id) || !strategy.wants(id)) {
            return false;
        }
        results.put(id, result.perplexity());
        outstanding.remove(id);
        strategy.advance(Collections.unmodifiableMap(results));
        outstanding.keySet().removeIf(key -> !strategy.wants(key));
        results.keySet().removeIf(key -> !strategy.wants(key) && !strategy.consumed(key));
        return true;
    }

    /**
     * Issued requests still awaited, in issue order. Requests made useless by a decision are dropped
     * (their results will be ignored); a driver may cancel them or let them run.
     */
    public List<EvaluationRequest> outstanding() {
        return List.copyOf(outstanding.values());
    }

    public boolean isDone() {
        return strategy.done();
    }

    /** The candidates decided so far, in decision order (the final trace once done). */
    public List<TraceEntry> trace() {
        return strategy.trace();
    }

    /**
     * The result of the finished search.
     *
     * @throws IllegalStateException while the search is not done
     */
    public SearchOutcome outcome() {
        if (!isDone()) {
            throw new IllegalStateException("search " + spec.strategyName() + " is not finished: "
                    + outstanding.size() + " evaluations outstanding, " + trace().size() + " candidates decided");
        }
        return strategy.outcome();
    }

    /** The state to persist; {@link #restore} rebuilds an equivalent machine from it. */
    public SearchSnapshot snapshot() {
        List<EvaluationResult> recorded = results.entrySet().stream()
                .map(e -> new EvaluationResult(e.getKey(), e.getValue()))
                .toList();
        return new SearchSnapshot(spec, recorded, List.copyOf(outstanding.keySet()), direction);
    }

    public SearchSpec spec() {
        return spec;
    }
}
