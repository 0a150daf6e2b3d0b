package dev.lasermesh.core.eval.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code knn-accuracy} (DESIGN §7.1), the deterministic stand-in for MTEB's classification: each
 * evaluated example takes the k = {@value #K} train examples of highest cosine similarity (ties: lower
 * train index first; in train-LOO the example itself is left out), predicts the label most frequent
 * among them — ties between labels broken by the larger summed similarity of their neighbours, then by
 * the smaller label in code-point order — and the metric is the fraction predicted correctly.
 *
 * <p>Correct counts of disjoint sets of evaluated examples add up, so the work shards by examples.
 */
public final class KnnAccuracy {

    /** Neighbours per vote. */
    public static final int K = 5;

    private KnnAccuracy() {
    }

    /** Correct predictions out of evaluated examples; shards add. */
    public record Score(int correct, int examples) {

        /** The fraction correct. */
        public double accuracy() {
            return (double) correct / examples;
        }

        public Score plus(Score other) {
            return new Score(correct + other.correct, examples + other.examples);
        }
    }

    /**
     * Classifies queries {@code from .. to−1} among {@code train}.
     *
     * @param train        train embeddings, in train-file order
     * @param trainLabels  their labels
     * @param queries      the embeddings classified: the test embeddings, or {@code train} itself for LOO
     * @param queryLabels  their true labels
     * @param leaveOneOut  whether query i is train example i, to be left out of its own neighbours
     */
    public static Score score(double[][] train, List<String> trainLabels, double[][] queries, List<String> queryLabels,
                              boolean leaveOneOut, int from, int to) {
        double[][] t = normalized(train);
        double[][] q = leaveOneOut ? t : normalized(queries);
        int correct = 0;
        for (int i = from; i < to; i++) {
            if (predict(t, trainLabels, q[i], leaveOneOut ? i : -1).equals(queryLabels.get(i))) {
                correct++;
            }
        }
        return new Score(correct, to - from);
    }

    /** All queries. */
    public static Score score(double[][] train, List<String> trainLabels, double[][] queries, List<String> queryLabels,
                              boolean leaveOneOut) {
        return score(train, trainLabels, queries, queryLabels, leaveOneOut, 0, queries.length);
    }

    private static String predict(double[][] train, List<String> labels, double[] query, int self) {
        int[] best = new int[K];
        double[] bestSim = new double[K];
        int found = 0;
        for (int j = 0; j < train.length; j++) {
            if (j == self) {
                continue;
            }
            double s = dot(query, train[j]);
            if (found == K && s <= bestSim[K - 1]) {
                continue;
            }
            int at = Math.min(found, K - 1);
            while (at > 0 && s > bestSim[at - 1]) {
                best[at] = best[at - 1];
                bestSim[at] = bestSim[at - 1];
                at--;
            }
            best[at] = j;
            bestSim[at] = s;
            found = Math.min(found + 1, K);
        }
        Map<String, Integer> votes = new HashMap<>();
        Map<String, Double> sums = new HashMap<>();
        for (int n = 0; n < found; n++) {
            String label = labels.get(best[n]);
            votes.merge(label, 1, Integer::sum);
            sums.merge(label, bestSim[n], Double::sum);
        }
        String winner = null;
        for (String label : votes.keySet()) {
            if (winner == null || beats(label, winner, votes, sums)) {
                winner = label;
            }
        }
        return winner;
    }

    private static boolean beats(String a, String b, Map<String, Integer> votes, Map<String, Double> sums) {
        int byVotes = Integer.compare(votes.get(a), votes.get(b));
        if (byVotes != 0) {
            return byVotes > 0;
        }
        int bySum = Double.compare(sums.get(a), sums.get(b));
        if (bySum != 0) {
            return bySum > 0;
        }
        return compareCodePoints(a, b) < 0;
    }

    /** Code-point order (String.compareTo compares UTF-16 units, which differs beyond the BMP). */
    static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static double[][] normalized(double[][] vectors) {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            double norm = Math.sqrt(dot(vectors[i], vectors[i]));
            out[i] = new double[vectors[i].length];
            for (int d = 0; d < out[i].length; d++) {
                out[i][d] = norm == 0 ? 0 : vectors[i][d] / norm;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
