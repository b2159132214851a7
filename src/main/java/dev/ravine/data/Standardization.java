package dev.ravine.data;

import dev.ravine.tensor.Tensor;

/**
 * Per-feature (x - mean) / std with statistics from the training rows only, so nothing about the validation or
 * test rows leaks into training. std is the population standard deviation; a constant feature keeps std 1 and is
 * only centred, as scikit-learn's StandardScaler does. Min-max scaling is the same map with the minimum as
 * "mean" and the range as "std" ({@link #fitMinMax}), so a run folder stores either the same way.
 */
public record Standardization(double[] mean, double[] std) {
    public static Standardization fit(Tensor x) {
        int n = x.rows(), d = x.cols;
        double[] mean = new double[d], std = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x.get(i * d + j);
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                double c = x.get(i * d + j) - mean[j];
                std[j] += c * c;
            }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (!(std[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) std[j] = 1;
        }
        return new Standardization(mean, std);
    }

    /**
     * (x - min) / (max - min) per feature, into [0, 1] on the training rows; a constant feature keeps a range of 1
     * (and becomes 0), as scikit-learn's MinMaxScaler does.
     */
    public static Standardization fitMinMax(Tensor x) {
        int n = x.rows(), d = x.cols;
        double[] min = new double[d], range = new double[d];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(range, Double.NEGATIVE_INFINITY); // the maximum, until the loop below
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                double v = x.get(i * d + j);
                min[j] = Math.min(min[j], v);
                range[j] = Math.max(range[j], v);
            }
        for (int j = 0; j < d; j++) {
            range[j] -= min[j];
            if (!(range[j] > 0)) range[j] = 1;
        }
        return new Standardization(min, range);
    }

    /** Standardizes {@code x} in place. */
    public void apply(Tensor x) {
        int d = x.cols;
        if (d != mean.length) throw new IllegalArgumentException("standardization for " + mean.length + " features applied to " + d);
        for (int i = 0, n = x.rows(); i < n; i++)
            for (int j = 0; j < d; j++) x.set(i * d + j, (x.get(i * d + j) - mean[j]) / std[j]);
    }
}
