package dev.ravine.train;

import java.util.Arrays;

/**
 * The area under the ROC curve, as scikit-learn's {@code roc_auc_score} computes it: for two classes, of the second
 * class's probability; for more, each class against the rest, averaged (its {@code multi_class='ovr'},
 * {@code average='macro'}). An AUC is the chance that a random positive row scores above a random negative one, ties
 * counting half: the Mann-Whitney U statistic over P N, from the scores' ranks with ties averaged.
 *
 * @param macro   the binary AUC, or the mean of the classes' one-vs-rest AUCs; NaN when no class has both
 *                positive and negative rows
 * @param byClass each class against the rest; NaN for a class with no rows or with every row
 */
public record RocAuc(double macro, double[] byClass) {
    public static RocAuc of(ClassProbabilities c) {
        int k = c.p().length == 0 ? 0 : c.p()[0].length, n = c.truth().length;
        double[] byClass = new double[k], scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                scores[i] = c.p()[i][j];
                positive[i] = c.truth()[i] == j;
            }
            byClass[j] = binary(scores, positive);
        }
        if (k == 2) return new RocAuc(byClass[1], byClass);
        double sum = 0;
        int defined = 0;
        for (double a : byClass)
            if (!Double.isNaN(a)) {
                sum += a;
                defined++;
            }
        return new RocAuc(defined == 0 ? Double.NaN : sum / defined, byClass);
    }

    /** The AUC of {@code scores} for telling the {@code positive} rows from the rest; NaN without both kinds. */
    public static double binary(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        for (int from = 0; from < n; ) {
            int to = from;
            while (to + 1 < n && scores[order[to + 1]] == scores[order[from]]) to++;
            double rank = (from + to) / 2.0 + 1; // ties share the mean of their ranks, counting from 1
            for (int i = from; i <= to; i++)
                if (positive[order[i]]) {
                    rankSum += rank;
                    positives++;
                }
            from = to + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
