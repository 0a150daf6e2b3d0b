package dev.lasermesh.meshit;

import java.nio.file.Path;

/**
 * The job of the end-to-end checks, once for each side so that they cannot drift apart: laserRMT's
 * greedy search (layers 5 → 0 × down, up, q, k, v, o; at most 5 accepted; accept iff perplexity &lt;
 * best) with the laserrmt rank policy, scored with the laserrmt protocol on windows of 128 tokens of
 * the first 8192 tokens of {@code sotu-2009-2021.txt}, on tiny-llama, output dense — the search whose
 * trace {@code tiny-llama/search-reference.json} holds.
 */
final class GreedyJob {

    static final String MODEL = "tiny-llama";
    static final String TEXT = "sotu-2009-2021.txt";

    /** The job spec the mesh gets (docs/contracts.md, "Job spec"). */
    static final String SPEC = """
            {
              "version": 1,
              "model": "tiny-llama",
              "policy": {"policy": "laserrmt"},
              "strategy": {"strategy": "laserrmt-greedy", "maxAccepted": 5, "acceptTies": false},
              "evaluation": {"texts": ["sotu-2009-2021.txt"], "protocol": "laserrmt", "window": 128, "maxTokens": 8192},
              "output": "dense"
            }
            """;

    private GreedyJob() {
    }

    /** The same job as {@code lasermesh run} arguments, the model and text taken from the given roots. */
    static String[] standaloneArguments(Path modelRoot, Path dataRoot, Path out) {
        return new String[] {"run", modelRoot.resolve(MODEL).toString(), "--out", out.toString(),
                "--text", dataRoot.resolve(TEXT).toString(), "--policy", "laserrmt", "--strategy", "laserrmt-greedy",
                "--max-accepted", "5", "--protocol", "laserrmt", "--window", "128", "--max-tokens", "8192"};
    }
}
