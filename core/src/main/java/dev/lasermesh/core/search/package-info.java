/**
 * Search strategies (DESIGN §3.3) as pure state machines, shared by the standalone loop and the
 * gateway's orchestrator: {@code laserrmt-greedy} ({@link dev.lasermesh.core.search.LaserRmtGreedySpec}),
 * {@code snr-greedy} ({@link dev.lasermesh.core.search.SnrGreedySpec}), {@code laser-grid}
 * ({@link dev.lasermesh.core.search.LaserGridSpec}), {@code one-shot}
 * ({@link dev.lasermesh.core.search.OneShotSpec}) and {@code sfsd-surgical}
 * ({@link dev.lasermesh.core.search.SfsdSurgicalSpec}).
 *
 * <p>A {@link dev.lasermesh.core.search.SearchMachine} hands out
 * {@link dev.lasermesh.core.search.EvaluationRequest}s (a model state = base model + replacements, a
 * split, a stable id) and takes back {@link dev.lasermesh.core.search.EvaluationResult}s (id,
 * perplexity). It never evaluates anything itself. A standalone driver:
 *
 * <pre>{@code
 * SearchMachine search = SearchMachine.start(LaserRmtGreedySpec.withDefaults(candidates));
 * CompletionService<EvaluationResult> evaluators = new ExecutorCompletionService<>(pool);
 * int running = 0;                                   // counts every started task, wanted or not
 * while (!search.isDone()) {
 *     for (EvaluationRequest request : search.issue(parallelism - running)) {
 *         evaluators.submit(() -> new EvaluationResult(request.id(), perplexity(request)));
 *         running++;
 *     }
 *     EvaluationResult result = evaluators.take().get();
 *     running--;
 *     search.record(result);                         // false for a stale or duplicate result
 * }
 * SearchOutcome outcome = search.outcome();
 * }</pre>
 *
 * A gateway keeps {@link dev.lasermesh.core.search.SearchMachine#snapshot()} (JSON via Jackson) with
 * the job, in the same transaction as the tasks it sends (task id = job id + "/" + request id); on
 * each result it restores, records, issues for its free capacity and stores the new snapshot; after a
 * restart it restores and sends {@link dev.lasermesh.core.search.SearchMachine#outstanding()} again,
 * which the ids make idempotent.
 */
package dev.lasermesh.core.search;
