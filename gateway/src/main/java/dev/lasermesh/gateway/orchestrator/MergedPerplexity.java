package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.core.eval.perplexity.PartialSums;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import dev.lasermesh.core.eval.perplexity.Protocol;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

/**
 * The perplexity of one evaluation request from its shards' partial sums. The sums are exact decimals
 * and add up exactly (DESIGN §3.2), and the perplexity is taken from them by core's own rule
 * ({@link PerplexityResult#of}, what {@code WindowPlan.result} does for one pass), so a request
 * evaluated in shards by several evaluators gets exactly the standalone's number.
 */
public final class MergedPerplexity {

    private MergedPerplexity() {
    }

    /** Σ of the shards' sums. */
    public static EvaluationSums sum(Collection<EvaluationSums> shards) {
        EvaluationSums total = EvaluationSums.ZERO;
        for (EvaluationSums s : shards) {
            total = total.plus(s);
        }
        return total;
    }

    /**
     * Closes a request whose shards all answered: their sums merged (exactly, in any order), the request
     * DONE with the sums and the perplexity they give under the job's evaluation spec.
     */
    static void complete(EvaluationEntity request, List<TaskEntity> shards, EvaluationSpec evaluation) {
        EvaluationSums sums = sum(shards.stream().map(t -> Json.read(t.output, EvaluationOutput.class).sums()).toList());
        request.status = RequestStatus.DONE;
        request.nllSum = sums.nllSum();
        request.tokens = sums.tokens();
        request.windows = sums.windows();
        request.windowMeanSum = sums.windowMeanSum();
        request.perplexity = of(sums, evaluation).perplexity();
    }

    /** The perplexity of complete sums under the job's (resolved) evaluation spec. */
    public static PerplexityResult of(EvaluationSums sums, EvaluationSpec evaluation) {
        return PerplexityResult.of(new PartialSums(sums.nllSum(), sums.tokens(), sums.windows(), sums.windowMeanSum()),
                protocol(evaluation));
    }

    /** Core's protocol spec of a resolved evaluation spec. */
    public static ProtocolSpec protocol(EvaluationSpec evaluation) {
        EvaluationSpec resolved = evaluation.requireResolved();
        return new ProtocolSpec(Protocol.fromName(resolved.protocol()), resolved.window(), resolved.stride(),
                resolved.maxTokens() == null ? OptionalInt.empty() : OptionalInt.of(resolved.maxTokens()));
    }
}
