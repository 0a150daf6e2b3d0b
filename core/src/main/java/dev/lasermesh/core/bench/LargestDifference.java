package dev.lasermesh.core.bench;

/**
 * The check benchmarks print next to their speeds, that both sides computed the same thing:
 * max |value − reference| / max |reference| over all entries (a scale-free bound that zero entries of the
 * reference do not blow up, unlike an entry-wise relative error).
 */
public final class LargestDifference {

    private LargestDifference() {
    }

    /** max_i |values[i] − reference[i]| / max_i |reference[i]|, over arrays of equal length. */
    public static double relativeToLargest(double[] values, double[] reference) {
        if (values.length != reference.length) {
            throw new IllegalArgumentException("cannot compare " + values.length + " values with " + reference.length);
        }
        double difference = 0;
        double largest = 0;
        for (int i = 0; i < reference.length; i++) {
            difference = Math.max(difference, Math.abs(values[i] - reference[i]));
            largest = Math.max(largest, Math.abs(reference[i]));
        }
        return difference / largest;
    }
}
