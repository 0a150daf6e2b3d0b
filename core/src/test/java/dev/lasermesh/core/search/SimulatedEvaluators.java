package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A test driver: {@code evaluators} workers that finish their requests in a random order, with
 * at-least-once delivery (results are sometimes delivered again later, including results of requests
 * the machine no longer wants). Workers running a request the machine dropped stay busy until it
 * finishes, as real ones would.
 */
final class SimulatedEvaluators {

    private final int evaluators;
    private final Random random;
    private final ToDoubleFunction<EvaluationRequest> oracle;
    private final List<EvaluationRequest> running = new ArrayList<>();
    private final List<EvaluationResult> delivered = new ArrayList<>();
    private int largestBatch;
    private int ignored;

    SimulatedEvaluators(int evaluators, long seed, ToDoubleFunction<EvaluationRequest> oracle) {
        this.evaluators = evaluators;
        this.random = new Random(seed);
        this.oracle = oracle;
    }

    /** Runs the machine to the end. */
    SearchOutcome finish(SearchMachine machine) {
        while (!machine.isDone()) {
            step(machine);
        }
        return machine.outcome();
    }

    /** Takes over requests already running, as a driver restarted from a snapshot does. */
    void adopt(List<EvaluationRequest> requests) {
        running.addAll(requests);
    }

    /** Gives every free worker a request, if the machine has one. */
    void fill(SearchMachine machine) {
        List<EvaluationRequest> issued = machine.issue(Math.max(0, evaluators - running.size()));
        largestBatch = Math.max(largestBatch, issued.size());
        running.addAll(issued);
    }

    /** Fills free workers, then delivers one finished request (and maybe a redelivery). */
    void step(SearchMachine machine) {
        fill(machine);
        if (running.isEmpty()) {
            throw new AssertionError("search stalled: nothing running and nothing issued");
        }
        EvaluationRequest finished = running.remove(random.nextInt(running.size()));
        deliver(machine, new EvaluationResult(finished.id(), oracle.applyAsDouble(finished)));
        if (random.nextInt(3) == 0) {
            deliver(machine, delivered.get(random.nextInt(delivered.size())));
        }
    }

    private void deliver(SearchMachine machine, EvaluationResult result) {
        delivered.add(result);
        if (!machine.record(result)) {
            ignored++;
        }
    }

    /** Every result delivered so far, duplicates included, in delivery order. */
    List<EvaluationResult> delivered() {
        return List.copyOf(delivered);
    }

    int largestBatch() {
        return largestBatch;
    }

    int ignored() {
        return ignored;
    }
}
