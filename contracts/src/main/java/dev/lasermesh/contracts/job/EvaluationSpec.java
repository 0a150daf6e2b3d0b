package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import java.util.List;

/**
 * How to measure a model state: perplexity over text files with a protocol of DESIGN §3.2, or, for an
 * encoder, {@code knn-accuracy} on a task folder (DESIGN §7.1; {@code task} in place of the texts). In a
 * submitted job spec every field but {@code texts} (or {@code task}) may be left out;
 * {@link JobSpecValidator} fills in the defaults and resolves the paths, and an evaluation task carries
 * the resolved form.
 *
 * @param texts     UTF-8 text files, each relative to a configured data root or absolute inside one;
 *                  resolved: absolute real paths. Several texts pool their windows (laserRMT combines
 *                  datasets this way)
 * @param protocol  {@code laserrmt} (default), {@code sliding} or {@code chunked-bos}
 * @param window    window length L in tokens, ≥ 2; default 128
 * @param stride    tokens between window starts, in [1, L], {@code sliding} only (default L/2); the other
 *                  protocols' windows do not overlap, so their stride is L
 * @param maxTokens score only the first this many tokens of each text (before BOS is added), ≥ 1;
 *                  null for the whole text
 * @param task      a task folder ({@code train.jsonl}, {@code test.jsonl}) relative to a configured data
 *                  root or absolute inside one, for an encoder; resolved: its absolute real path, with
 *                  {@code texts} empty and the perplexity fields null. Null for perplexity
 */
public record EvaluationSpec(List<String> texts, String protocol, Integer window, Integer stride, Integer maxTokens,
                             String task) {

    /** The protocol names, in the order of DESIGN §3.2. */
    public static final List<String> PROTOCOLS = List.of("laserrmt", "sliding", "chunked-bos");
    public static final String DEFAULT_PROTOCOL = "laserrmt";
    /** The protocol whose windows overlap, so whose stride is free. */
    public static final String SLIDING = "sliding";
    public static final int DEFAULT_WINDOW = 128;

    /** Perplexity over texts. */
    public EvaluationSpec(List<String> texts, String protocol, Integer window, Integer stride, Integer maxTokens) {
        this(texts, protocol, window, stride, maxTokens, null);
    }

    /** {@code knn-accuracy} on the task folder {@code task}, as a resolved spec carries it. */
    public static EvaluationSpec ofTask(String task) {
        return new EvaluationSpec(List.of(), null, null, null, null, task);
    }

    /** Whether this spec scores a task ({@code knn-accuracy}) rather than perplexity. */
    public boolean scoresTask() {
        return task != null;
    }

    /**
     * Checks that defaults were filled in, as an evaluation task needs.
     *
     * @return this
     * @throws ContractException naming the first field that is still missing
     */
    public EvaluationSpec requireResolved() {
        if (scoresTask()) {
            if (texts == null || !texts.isEmpty() || protocol != null) {
                throw new ContractException("evaluation is not resolved: a task evaluation has no texts or protocol",
                        "texts");
            }
            return this;
        }
        String missing = texts == null || texts.isEmpty() ? "texts" : protocol == null ? "protocol"
                : window == null ? "window" : stride == null ? "stride" : null;
        if (missing != null) {
            throw new ContractException("evaluation is not resolved: " + missing
                    + " is missing (JobSpecValidator fills it in)", missing);
        }
        return this;
    }
}
