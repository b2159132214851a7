package dev.ravine.data;

import dev.ravine.tensor.Tensor;

/**
 * Per-feature (x - mean) / std with statistics from the training rows only, so nothing about the validation or
 * test rows leaks into training. std is the population standard deviation; a constant feature keeps std 1 and is
 * only centred, as scikit-learn's StandardScaler does.
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

    /** Standardizes {@code x} in place. */
    public void apply(Tensor x) {
        int d = x.cols;
        if (d != mean.length) throw new IllegalArgumentException("standardization for " + mean.length + " features applied to " + d);
        for (int i = 0, n = x.rows(); i < n; i++)
            for (int j = 0; j < d; j++) x.set(i * d + j, (x.get(i * d + j) - mean[j]) / std[j]);
    }
}
