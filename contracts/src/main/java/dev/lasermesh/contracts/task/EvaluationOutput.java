package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;

/**
 * What an evaluator measured on one shard.
 *
 * @param sums            the shard's partial sums
 * @param totalWindows    W, the windows the protocol makes of the texts in all (not only this shard's),
 *                        from which the gateway plans validation/report splits and further shards
 * @param seconds         wall-clock seconds the evaluator spent on this task (model load, overlays, scoring)
 * @param tokensPerSecond tokens run through the model per second of scoring (with overlapping sliding
 *                        windows more than tokens scored / seconds)
 * @param backend         the compute backend of the forward pass, e.g. {@code cpu}, {@code gpu-cuda}
 */
public record EvaluationOutput(EvaluationSums sums, int totalWindows, double seconds, double tokensPerSecond,
                               String backend) {

    public EvaluationOutput {
        Require.present(sums, "sums");
        Require.nonNegative(totalWindows, "totalWindows");
        if (sums.windows() > totalWindows) {
            throw new ContractException("sums cover " + sums.windows() + " windows, more than totalWindows "
                    + totalWindows, "sums.windows");
        }
        Require.nonNegative(seconds, "seconds");
        Require.nonNegative(tokensPerSecond, "tokensPerSecond");
        Require.text(backend, "backend");
    }
}
