package dev.ravine.curvature;

import java.util.SplittableRandom;

/**
 * Hutchinson's estimator of the trace (Hutchinson 1989): E[z^T A z] = tr A for z with independent Rademacher (+-1)
 * entries, whose variance is the smallest among such estimators. One product per sample.
 */
public final class Hutchinson {
    /** The mean of the samples and its standard error. */
    public record Estimate(double trace, double standardError, int samples) {
    }

    private Hutchinson() {
    }

    public static Estimate trace(LinearOperator a, int samples, long seed) {
        int n = a.dimension();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] z = new double[n], az = new double[n];
        double sum = 0, sumSquares = 0;
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < n; i++) z[i] = rng.nextBoolean() ? 1 : -1;
            a.apply(z, az);
            double v = Lanczos.dot(z, az);
            sum += v;
            sumSquares += v * v;
        }
        double mean = sum / samples, variance = samples > 1 ? (sumSquares - samples * mean * mean) / (samples - 1) : 0;
        return new Estimate(mean, Math.sqrt(Math.max(variance, 0) / samples), samples);
    }
}
