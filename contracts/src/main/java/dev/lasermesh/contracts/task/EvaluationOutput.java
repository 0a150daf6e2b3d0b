package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TensorRef;

/**
 * What an evaluator measured on one shard: partial sums of a perplexity, or, for a task evaluation
 * (DESIGN §7.1), the embeddings of the shard's examples — the partial result of {@code knn-accuracy},
 * which needs every embedding before one example can be classified, so the gateway merges the shards'
 * embeddings and classifies; or, for a calibration task (DESIGN §7.4), the statistics of its shard of the
 * calibration windows. Exactly one of {@code sums}, {@code embeddings} and {@code calibration} is set.
 *
 * @param sums            the shard's partial sums; null for a task evaluation
 * @param totalWindows    W, the windows the protocol makes of the texts in all (not only this shard's),
 *                        from which the gateway plans validation/report splits and further shards; for a
 *                        task, the examples of the task in all (train and test)
 * @param seconds         wall-clock seconds the evaluator spent on this task (model load, overlays, scoring)
 * @param tokensPerSecond tokens run through the model per second of scoring (with overlapping sliding
 *                        windows more than tokens scored / seconds)
 * @param backend         the compute backend of the forward pass, e.g. {@code cpu}, {@code gpu-cuda}
 * @param embeddings      for a task evaluation, the F64 tensor [examples of the shard, hidden size] in the
 *                        artifact store, one row per example in shard order; null otherwise
 * @param calibration     for a calibration task, the statistics written (totalWindows then counts the
 *                        calibration windows); null otherwise
 */
public record EvaluationOutput(EvaluationSums sums, int totalWindows, double seconds, double tokensPerSecond,
                               String backend, TensorRef embeddings, CalibrationShard calibration) {

    public EvaluationOutput {
        int present = (sums == null ? 0 : 1) + (embeddings == null ? 0 : 1) + (calibration == null ? 0 : 1);
        if (present != 1) {
            throw new ContractException("exactly one of sums (perplexity), embeddings (task) and calibration must be "
                    + "present", sums == null ? "sums" : "embeddings");
        }
        Require.nonNegative(totalWindows, "totalWindows");
        if (calibration != null && calibration.windows() > totalWindows) {
            throw new ContractException("calibration covers " + calibration.windows() + " windows, more than "
                    + "totalWindows " + totalWindows, "calibration.windows");
        }
        if (calibration == null && scored(sums, embeddings) > totalWindows) {
            throw new ContractException((sums != null ? "sums cover " : "embeddings hold ") + scored(sums, embeddings)
                    + (sums != null ? " windows" : " examples") + ", more than totalWindows " + totalWindows,
                    sums != null ? "sums.windows" : "embeddings.shape");
        }
        if (embeddings != null && embeddings.shape().size() != 2) {
            throw new ContractException("embeddings must be a matrix [examples, hidden], got shape "
                    + embeddings.shape(), "embeddings.shape");
        }
        Require.nonNegative(seconds, "seconds");
        Require.nonNegative(tokensPerSecond, "tokensPerSecond");
        Require.text(backend, "backend");
    }

    /** A perplexity shard's output. */
    public EvaluationOutput(EvaluationSums sums, int totalWindows, double seconds, double tokensPerSecond,
                            String backend) {
        this(sums, totalWindows, seconds, tokensPerSecond, backend, null, null);
    }

    /** A task shard's output. */
    public EvaluationOutput(int totalWindows, double seconds, double tokensPerSecond, String backend,
                            TensorRef embeddings) {
        this(null, totalWindows, seconds, tokensPerSecond, backend, embeddings, null);
    }

    /** The windows scored or calibrated, or for a task the examples embedded. */
    public int scored() {
        return calibration != null ? calibration.windows() : scored(sums, embeddings);
    }

    private static int scored(EvaluationSums sums, TensorRef embeddings) {
        return sums != null ? sums.windows() : Math.toIntExact(embeddings.shape().getFirst());
    }
}
