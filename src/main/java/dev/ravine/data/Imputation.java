package dev.ravine.data;

import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * What becomes of a missing value in a numeric feature column (an empty field, or {@code NA}, {@code nan}, {@code ?}
 * and the like): an error naming its line and column ({@code error}, the default), or the column's mean or median
 * over the training rows ({@code mean}, {@code median}), as scikit-learn's {@code SimpleImputer} fills it, fitted on
 * the training split alone so that nothing of the validation rows leaks into training. In a column of categories a
 * missing value is a row with none of the column's categories. A missing label is always an error.
 */
public enum Imputation {
    ERROR, MEAN, MEDIAN;

    public static Imputation parse(String text) {
        return switch (text) {
            case "error" -> ERROR;
            case "mean" -> MEAN;
            case "median" -> MEDIAN;
            default -> throw new IllegalArgumentException("unknown imputation '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the reader lets missing values through (as NaN) for this to fill. */
    public boolean fills() {
        return this != ERROR;
    }

    /** Each feature's fill value over {@code x}'s rows, NaN marking what is missing; null for {@code error}. */
    public Fill fit(Tensor x) {
        if (this == ERROR) return null;
        double[] values = new double[x.cols], column = new double[x.rows()];
        for (int j = 0; j < x.cols; j++) {
            int n = 0;
            for (int i = 0; i < x.rows(); i++) {
                double v = x.get(i, j);
                if (!Double.isNaN(v)) column[n++] = v;
            }
            values[j] = n == 0 ? 0 : this == MEAN ? mean(column, n) : median(column, n);
        }
        return new Fill(this, values);
    }

    private static double mean(double[] v, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += v[i];
        return sum / n;
    }

    /** The middle value, or the mean of the two middle ones (numpy's median, which SimpleImputer uses). */
    private static double median(double[] v, int n) {
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The values a run fills its missing features with, one a feature (0 for a feature with no value in the training
     * rows, as none is known).
     */
    public record Fill(Imputation strategy, double[] values) {
        /** Puts each feature's value where {@code x} is missing (NaN); returns how many were filled. */
        public long apply(Tensor x) {
            if (x.cols != values.length) throw new IllegalArgumentException(x.cols + " features, " + values.length + " fill values");
            long filled = 0;
            for (int i = 0; i < x.rows(); i++)
                for (int j = 0; j < x.cols; j++)
                    if (Double.isNaN(x.get(i, j))) {
                        x.set(i, j, values[j]);
                        filled++;
                    }
            return filled;
        }
    }
}
