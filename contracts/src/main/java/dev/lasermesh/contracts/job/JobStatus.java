package dev.lasermesh.contracts.job;

/**
 * Where a job is (DESIGN §2). The stages run in this order, a job without a search skipping
 * {@link #SEARCHING} and one without an evaluation {@link #EVALUATING}; it ends in one of the last
 * three.
 */
public enum JobStatus {
    /** Stored, no task sent yet. */
    QUEUED,
    /**
     * Calibration tasks out (a calibrated method, DESIGN §7.4): evaluators collect the statistics of the
     * selected matrices' inputs on shards of the calibration windows; analyses follow once they are merged.
     */
    CALIBRATING,
    /** Analysis tasks out: spectra and rank decisions. */
    ANALYZING,
    /** Reduction tasks out: truncated matrices being written. */
    REDUCING,
    /** Evaluation tasks out for the base model and the reduced one (no search). */
    EVALUATING,
    /** A search strategy is choosing candidates; evaluation tasks go out as it asks. */
    SEARCHING,
    /** The job's study ({@link StudySpec}) is evaluating its variants, after the search. */
    STUDYING,
    /** Writing the output model folder and the report. */
    ASSEMBLING,
    /** Done; the output and the report are available. */
    SUCCEEDED,
    /** Stopped by an error; the job view says which. */
    FAILED,
    /** Stopped by a user. */
    CANCELLED;

    /** Whether the job has ended (no status follows). */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
