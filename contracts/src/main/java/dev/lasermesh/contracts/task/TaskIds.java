package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.OutputForm;

/**
 * Task ids derived from what a task does, so that re-planning a job after a gateway restart produces
 * the same ids and consumers recognise redeliveries (DESIGN §2: delivery is at least once, handlers
 * are idempotent).
 */
public final class TaskIds {

    private TaskIds() {
    }

    /** {@code <job>/analysis/<tensor>}. */
    public static String analysis(String jobId, String tensor) {
        return jobId + "/analysis/" + tensor;
    }

    /** {@code <job>/reduction/<tensor>/<form>-k<rank>}. */
    public static String reduction(String jobId, String tensor, OutputForm form, int rank) {
        return jobId + "/reduction/" + tensor + "/" + form.label() + "-k" + rank;
    }

    /** {@code <job>/evaluation/<request>/<first>-<end>}, {@code end} spelt {@code last} when open. */
    public static String evaluation(String jobId, String requestId, WindowShard shard) {
        return jobId + "/evaluation/" + requestId + "/" + shard.first() + "-"
                + (shard.end() == null ? "last" : shard.end());
    }
}
