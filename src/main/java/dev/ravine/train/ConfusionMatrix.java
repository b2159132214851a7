package dev.ravine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How a classifier's predictions fall against the true classes: {@code counts[t][p]} rows of true class {@code t}
 * predicted as {@code p} (scikit-learn's {@code confusion_matrix}), with each class's precision, recall and F1 as
 * its {@code classification_report} gives them.
 */
public record ConfusionMatrix(long[][] counts) {
    /**
     * One class's scores: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean, each 0 where
     * its denominator is (scikit-learn's {@code zero_division=0}); support = the rows of the class.
     */
    public record Scores(String name, double precision, double recall, double f1, long support) {
    }

    /** An empty matrix for {@code classes} classes. */
    public static ConfusionMatrix of(int classes) {
        return new ConfusionMatrix(new long[classes][classes]);
    }

    void add(int trueClass, int predicted) {
        counts[trueClass][predicted]++;
    }

    public int classes() {
        return counts.length;
    }

    /** The rows predicted as their true class: the diagonal's sum. */
    public long correct() {
        long sum = 0;
        for (int k = 0; k < counts.length; k++) sum += counts[k][k];
        return sum;
    }

    /** Each class's scores, in class order, named by their indices. */
    public List<Scores> scores() {
        return scores(dev.ravine.data.Vocabulary.NONE.classLabels(counts.length));
    }

    /** Each class's scores, in class order, under the given names. */
    public List<Scores> scores(List<String> names) {
        List<Scores> out = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            long tp = counts[k][k], support = 0, predicted = 0;
            for (int j = 0; j < counts.length; j++) {
                support += counts[k][j];
                predicted += counts[j][k];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted, recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new Scores(names.get(k), precision, recall, f1, support));
        }
        return out;
    }

    /** The unweighted mean of the classes' F1 (scikit-learn's {@code f1_score(average='macro')}). */
    public double macroF1() {
        return scores().stream().mapToDouble(Scores::f1).average().orElse(0);
    }
}
