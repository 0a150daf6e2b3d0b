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

    /**
     * The id of a reduction with a transform: {@code <job>/reduction/<tensor>/<form>-k<rank>-<scheme>}, or
     * {@code <job>/reduction/<tensor>/dense-full-<scheme>} when the matrix is quantized untruncated; without a
     * transform the plain reduction's id.
     */
    public static String reduction(String jobId, String tensor, OutputForm form, int rank,
                                   ReductionTransform transform) {
        if (transform == null) {
            return reduction(jobId, tensor, form, rank);
        }
        String base = transform.truncate() ? form.label() + "-k" + rank : form.label() + "-full";
        return jobId + "/reduction/" + tensor + "/" + base + transform.suffix();
    }

    /** {@code <job>/evaluation/<request>/<first>-<end>}, {@code end} spelt {@code last} when open. */
    public static String evaluation(String jobId, String requestId, WindowShard shard) {
        return jobId + "/evaluation/" + requestId + "/" + shard.first() + "-"
                + (shard.end() == null ? "last" : shard.end());
    }
}
