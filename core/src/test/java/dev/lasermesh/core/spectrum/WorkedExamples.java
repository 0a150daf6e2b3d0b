package dev.lasermesh.core.spectrum;

/** The spectra of the worked examples of DESIGN §3.1. */
final class WorkedExamples {

    private WorkedExamples() {
    }

    /** S = 100, 99, ..., 1. */
    static double[] descending100To1() {
        double[] s = new double[100];
        for (int i = 0; i < s.length; i++) {
            s[i] = 100 - i;
        }
        return s;
    }

    /** S = [10, 5, 3, 2, 1, 1, 1, 1]. */
    static double[] smallEight() {
        return new double[] {10, 5, 3, 2, 1, 1, 1, 1};
    }
}
