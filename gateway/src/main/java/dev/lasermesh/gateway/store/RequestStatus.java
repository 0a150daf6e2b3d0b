package dev.lasermesh.gateway.store;

/** Where a search request (one model state to evaluate) is. */
public enum RequestStatus {
    /** Issued by the search; its shards wait for the reductions of its replacements. */
    WAITING,
    /** Its shards were sent to the evaluators. */
    RUNNING,
    /** Every shard answered; the perplexity is known. */
    DONE,
    /** Made useless by a later decision before it was sent; never sent. */
    DROPPED
}
