package dev.lasermesh.core.eval;

/**
 * Progress of an evaluation, called after each window. Calls come from worker threads but never
 * overlap, and {@code done} increases by one each time up to {@code total}.
 */
@FunctionalInterface
public interface EvalProgress {

    /** Reports nothing. */
    EvalProgress NONE = (done, total) -> { };

    void windowsDone(int done, int total);
}
