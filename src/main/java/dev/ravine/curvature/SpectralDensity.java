package dev.ravine.curvature;

import java.util.SplittableRandom;

/**
 * A smoothed eigenvalue density: each eigenvalue (or, for large operators, each Ritz value of stochastic Lanczos
 * quadrature, weighted by the squared first component of its eigenvector; Golub &amp; Meurant 2010, Ghorbani et al.
 * 2019) contributes a Gaussian of width sigma, on a grid that spans the spectrum, normalized to integrate to 1.
 */
public final class SpectralDensity {
    public record Density(double[] grid, double[] values) {
    }

    static final int GRID = 200;

    private SpectralDensity() {
    }

    /** From known eigenvalues, each of weight 1/n. */
    public static Density of(double[] eigenvalues) {
        double[] w = new double[eigenvalues.length];
        java.util.Arrays.fill(w, 1.0 / eigenvalues.length);
        return smooth(eigenvalues, w);
    }

    /** By stochastic Lanczos quadrature: {@code samples} runs of {@code steps} Lanczos steps from random starts. */
    public static Density estimate(LinearOperator a, int samples, int steps, long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        java.util.List<Double> nodes = new java.util.ArrayList<>(), weights = new java.util.ArrayList<>();
        for (int s = 0; s < samples; s++) {
            Lanczos.Result r = Lanczos.run(a, steps, seeds.nextLong(), false);
            for (int j = 0; j < r.values().length; j++) {
                nodes.add(r.values()[j]);
                weights.add(r.firstComponents()[j] * r.firstComponents()[j] / samples);
            }
        }
        return smooth(nodes.stream().mapToDouble(Double::doubleValue).toArray(), weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Density smooth(double[] nodes, double[] weights) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : nodes) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double span = Math.max(hi - lo, 1e-12 * Math.max(1, Math.abs(hi))), sigma = span / 100, pad = 5 * sigma;
        double[] grid = new double[GRID], values = new double[GRID];
        for (int g = 0; g < GRID; g++) grid[g] = lo - pad + (span + 2 * pad) * g / (GRID - 1);
        double norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
        for (int g = 0; g < GRID; g++) {
            double d = 0;
            for (int j = 0; j < nodes.length; j++) {
                double u = (grid[g] - nodes[j]) / sigma;
                d += weights[j] * norm * Math.exp(-0.5 * u * u);
            }
            values[g] = d;
        }
        double integral = 0; // trapezoid: make it integrate to exactly 1 on the grid
        for (int g = 1; g < GRID; g++) integral += 0.5 * (values[g] + values[g - 1]) * (grid[g] - grid[g - 1]);
        for (int g = 0; g < GRID; g++) values[g] /= integral;
        return new Density(grid, values);
    }
}
