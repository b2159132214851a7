package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The curvature tools on operators whose answers are known. */
class CurvatureToolsTest {
    private static double[][] diagonal(double[] d) {
        double[][] a = new double[d.length][d.length];
        for (int i = 0; i < d.length; i++) a[i][i] = d[i];
        return a;
    }

    /** A random symmetric matrix Q diag(d) Q^T with known eigenvalues d. */
    private static double[][] rotated(double[] d, long seed) {
        int n = d.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) { // Gram-Schmidt on random columns
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
            for (int k = 0; k < j; k++) {
                double c = 0;
                for (int i = 0; i < n; i++) c += v[i] * q[i][k];
                for (int i = 0; i < n; i++) v[i] -= c * q[i][k];
            }
            double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
            for (int i = 0; i < n; i++) q[i][j] = v[i] / norm;
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) a[i][j] += q[i][k] * d[k] * q[j][k];
        return a;
    }

    @Test
    void lanczosOnADiagonalOperatorReturnsItsDiagonal() {
        double[] d = {-3, -1, 0.5, 2, 7, 11, 11.5, 40};
        Lanczos.Result r = Lanczos.run(LinearOperator.of(diagonal(d)), 8, 1, true);
        assertArrayEquals(d, r.values(), 1e-10);
    }

    /** A diagonal of n entries: a bulk uniform in [0, 1) and the outliers 3, 2.9 and 2.8 first. */
    /** diag(d) as an operator: v -> d v entrywise. */
    private static LinearOperator diagonalOperator(double[] d) {
        return LinearOperator.of(d.length, (v, out) -> {
            for (int i = 0; i < d.length; i++) out[i] = d[i] * v[i];
        });
    }

    private static double[] outliersOverABulk(int n) {
        double[] d = new double[n];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < n; i++) d[i] = rng.nextDouble();
        d[0] = 3;
        d[1] = 2.9;
        d[2] = 2.8;
        return d;
    }

    /**
     * Lanczos in floating point loses orthogonality as a Ritz value converges and then finds the same eigenvalue
     * again (a ghost). 250 steps on an operator with three outliers over a bulk: plain Lanczos repeats 3 many
     * times; with partial reorthogonalization each outlier appears once, the bulk's largest Ritz value stays in the
     * bulk, and only a few of the steps reorthogonalized against the whole basis.
     */
    @Test
    void partialReorthogonalizationKeepsGhostsOut() {
        int n = 4000;
        double[] d = outliersOverABulk(n);
        LinearOperator a = diagonalOperator(d);
        Lanczos.Iteration it = new Lanczos.Iteration(a, 4);
        it.extend(250);
        double[] values = it.result(0).values();
        int m = values.length;
        assertEquals(250, m);
        assertEquals(3, values[m - 1], 1e-12);
        assertEquals(2.9, values[m - 2], 1e-12);
        assertEquals(2.8, values[m - 3], 1e-12);
        assertTrue(values[m - 4] <= 1 + 1e-9, "a ghost of an outlier: " + values[m - 4]);
        assertTrue(it.reorthogonalizations() > 0 && it.reorthogonalizations() < m / 2, it.reorthogonalizations() + " full reorthogonalizations in " + m + " steps");

        // products rounded to float32 lose orthogonality at float32's rate; kept semi-orthogonal at float32's
        // sqrt(eps) (and the basis kept in float32), the extremes come out to float32's accuracy, still without
        // ghosts, and a third of the steps need no full reorthogonalization (at float64's sqrt(eps) every one after
        // the first would)
        LinearOperator single = LinearOperator.of(n, Math.ulp(1.0f), (v, out) -> {
            for (int i = 0; i < n; i++) out[i] = (float) d[i] * (float) v[i];
        });
        Lanczos.Iteration it32 = new Lanczos.Iteration(single, 4);
        it32.extend(250);
        double[] values32 = it32.result(0).values();
        assertEquals(3, values32[m - 1], 1e-6);
        assertEquals(2.9, values32[m - 2], 1e-6);
        assertEquals(2.8, values32[m - 3], 1e-6);
        assertTrue(values32[m - 4] <= 1 + 1e-6, "a ghost of an outlier: " + values32[m - 4]);
        assertTrue(it32.reorthogonalizations() > 0 && it32.reorthogonalizations() < 0.7 * m, it32.reorthogonalizations() + " full reorthogonalizations in " + m + " steps");
        assertTrue(it.lossOfOrthogonality() <= Math.sqrt(Math.ulp(1.0)), "semi-orthogonal: " + it.lossOfOrthogonality());
        assertTrue(it32.lossOfOrthogonality() <= Math.sqrt(Math.ulp(1.0f)), "semi-orthogonal: " + it32.lossOfOrthogonality());
    }

    /**
     * A kept basis that is never reorthogonalized ({@link Lanczos.Iteration#topPair}, the trackers' iteration): 250
     * steps on the same operator lose orthogonality (the top comes back as a ghost), yet the largest Ritz value is
     * A's largest eigenvalue and its Ritz vector that eigenvector, as with reorthogonalization; and {@link TopEigen}
     * stops at the same value to its tolerance.
     */
    @Test
    void theTopPairNeedsNoReorthogonalization() {
        int n = 4000;
        double[] d = outliersOverABulk(n);
        LinearOperator a = diagonalOperator(d);
        double[] start = Lanczos.rademacher(n, 4);
        Lanczos.Iteration top = Lanczos.Iteration.topPair(a, start, null);
        top.extend(250);
        Lanczos.Result r = top.result(1);
        int m = r.values().length;
        assertEquals(0, top.reorthogonalizations());
        assertTrue(top.lossOfOrthogonality() > 0.1, "orthogonality lost: " + top.lossOfOrthogonality());
        assertEquals(3, r.values()[m - 2], 1e-9, "a ghost of the largest");
        assertEquals(3, r.values()[m - 1], 1e-12);
        double[] y = r.vectors()[m - 1];
        assertEquals(1, Math.abs(y[0]), 1e-10, "the top Ritz vector is e_0");
        double rest = 0;
        for (int i = 1; i < n; i++) rest += y[i] * y[i];
        assertTrue(Math.sqrt(rest) < 1e-6, "its components off e_0: " + Math.sqrt(rest));

        for (double tolerance : new double[] {1e-5, 1e-10}) {
            TopEigen.Result found = TopEigen.of(a, start, tolerance);
            assertEquals(3, found.value(), 3 * tolerance);
            Lanczos.Iteration kept = new Lanczos.Iteration(a, start);
            kept.extend(found.products());
            double[] keptValues = kept.result(0).values();
            assertEquals(keptValues[keptValues.length - 1], found.value(), 1e-12, "the same top Ritz value after the same steps");
        }
    }

    /**
     * Without a basis (k = 1), plain Lanczos on the same operator and one more outlier below: after 250 steps the
     * outlier 3 has come back as ghosts, so the second largest Ritz value is a copy of it and not 2.9; the largest
     * and smallest are A's, and {@link Spectrum#extremes} reports them as the kept basis does.
     */
    @Test
    void valuesOnlyLanczosFindsBothEndsDespiteGhosts() {
        int n = 4000;
        double[] d = outliersOverABulk(n);
        d[3] = -0.5; // an outlier at the bottom as well, which converges in a few dozen steps, as the top does
        double least = -0.5;
        LinearOperator a = diagonalOperator(d);
        Lanczos.Iteration plain = Lanczos.Iteration.valuesOnly(a, 4);
        plain.extend(250);
        double[] values = plain.result(0).values();
        int m = values.length;
        assertEquals(250, m);
        assertEquals(3, values[m - 1], 1e-12);
        assertEquals(3, values[m - 2], 1e-9, "a ghost of the largest");
        assertTrue(values[0] >= least - 1e-12, "no Ritz value below the spectrum: " + values[0]);
        assertEquals(0, plain.reorthogonalizations());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> plain.result(1), "no Ritz vectors without a basis");

        Spectrum.Extremes one = Spectrum.extremes(a, 1, 1e-10, 4);
        Lanczos.Iteration kept = new Lanczos.Iteration(a, 4);
        kept.extend(one.products());
        double[] keptValues = kept.result(0).values();
        assertTrue(one.converged());
        assertEquals(keptValues[one.products() - 1], one.top()[0], 1e-12);
        assertEquals(keptValues[0], one.bottom()[0], 1e-12);
        assertEquals(3, one.top()[0], 1e-10);
        assertEquals(least, one.bottom()[0], 1e-10);
        assertTrue(one.products() < 100, one.products() + " products");
    }

    /**
     * A start leaning toward a guess: a guess near the top and bottom eigenvectors takes fewer steps to both ends than
     * the random start alone; a guess that spans an invariant subspace by itself (an eigenvector, whose Krylov space
     * is one line) still finds the bottom, the random half keeping every direction present; a zero or NaN guess is
     * the random start, step for step.
     */
    @Test
    void aStartTowardAGuessConvergesSoonerAndMissesNothing() {
        int n = 4000;
        double[] d = outliersOverABulk(n);
        d[3] = -0.5;
        LinearOperator a = diagonalOperator(d);
        Spectrum.Extremes random = Spectrum.extremes(a, 1, 1e-10, 4);
        double[] nearEnds = new double[n];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < n; i++) nearEnds[i] = 0.01 * rng.nextGaussian();
        nearEnds[0] = 1;
        nearEnds[3] = 1;
        Spectrum.Extremes toward = Spectrum.extremes(a, 1, 1e-10, Lanczos.startToward(nearEnds, 4));
        assertTrue(toward.converged());
        assertEquals(3, toward.top()[0], 1e-10);
        assertEquals(-0.5, toward.bottom()[0], 1e-10);
        assertTrue(toward.products() < random.products(), toward.products() + " products toward the guess, " + random.products() + " from random");

        double[] eigenvector = new double[n];
        eigenvector[0] = 1;
        Spectrum.Extremes fromEigenvector = Spectrum.extremes(a, 2, 1e-10, Lanczos.startToward(eigenvector, 4));
        assertTrue(fromEigenvector.converged());
        assertArrayEquals(new double[] {3, 2.9}, fromEigenvector.top(), 1e-10);
        assertEquals(-0.5, fromEigenvector.bottom()[0], 1e-10);

        double[] nan = new double[n];
        Arrays.fill(nan, Double.NaN);
        for (double[] none : new double[][] {new double[n], nan}) {
            Spectrum.Extremes same = Spectrum.extremes(a, 1, 1e-10, Lanczos.startToward(none, 4));
            assertEquals(random.products(), same.products());
            assertEquals(random.top()[0], same.top()[0], 0);
            assertEquals(random.bottom()[0], same.bottom()[0], 0);
        }
    }

    /**
     * A product whose sums are short (a band matrix: 31 terms an entry, in float32) rounds far less along the basis
     * than one of a dense matrix of its dimension. Told so ({@link LinearOperator#terms}), Lanczos reorthogonalizes
     * less often and the basis still stays semi-orthogonal: the same extremes, and no ghosts.
     */
    @Test
    void shortSumsReorthogonalizeLater() {
        int n = 3000, half = 15;
        SplittableRandom rng = new SplittableRandom(21);
        double[][] band = new double[n][2 * half + 1]; // band[i][half + d] = a[i][i + d]
        for (int i = 0; i < n; i++)
            for (int d = 0; d <= half && i + d < n; d++) {
                double x = d == 0 ? rng.nextDouble() : (rng.nextDouble() - 0.5) / half;
                band[i][half + d] = x;
                band[i + d][half - d] = x;
            }
        band[0][half] = 4;
        band[1][half] = 3.8;
        band[2][half] = 3.6;
        java.util.function.BiConsumer<double[], double[]> in64 = (v, out) -> {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int d = -half; d <= half; d++) if (i + d >= 0 && i + d < n) s += band[i][half + d] * v[i + d];
                out[i] = s;
            }
        }, in32 = (v, out) -> {
            for (int i = 0; i < n; i++) {
                float s = 0;
                for (int d = -half; d <= half; d++) if (i + d >= 0 && i + d < n) s += (float) band[i][half + d] * (float) v[i + d];
                out[i] = s;
            }
        };
        int m = 200;
        Lanczos.Iteration exact = new Lanczos.Iteration(LinearOperator.of(n, in64), 6);
        Lanczos.Iteration dense = new Lanczos.Iteration(LinearOperator.of(n, Math.ulp(1.0f), in32), 6);
        Lanczos.Iteration banded = new Lanczos.Iteration(LinearOperator.of(n, Math.ulp(1.0f), 2 * half + 1, in32), 6);
        for (Lanczos.Iteration it : List.of(exact, dense, banded)) it.extend(m);
        double[] want = exact.result(0).values(), got = banded.result(0).values();
        for (int r = 1; r <= 5; r++) assertEquals(want[m - r], got[m - r], 1e-5, "the " + r + "th largest (a ghost would repeat an outlier)");
        assertTrue(banded.lossOfOrthogonality() <= Math.sqrt(Math.ulp(1.0f)), "semi-orthogonal: " + banded.lossOfOrthogonality());
        assertTrue(banded.reorthogonalizations() < dense.reorthogonalizations(), banded.reorthogonalizations() + " full reorthogonalizations against "
                + dense.reorthogonalizations() + " for a dense matrix's sums");
    }

    /** The dense eigensolver splits its updates and symmetric products over the kernels' threads: the same bits on any number. */
    @Test
    void fullSpectrumIsTheSameOnAnyThreadCount() {
        double[] d = new double[400]; // the trailing updates' products and the first symmetric products split between the threads
        for (int i = 0; i < d.length; i++) d[i] = -2 + i * 0.05 + (i % 5) * 1e-4;
        LinearOperator a = LinearOperator.of(rotated(d, 11));
        int before = Parallel.threads();
        try {
            double[] one = null;
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                double[] values = Spectrum.full(a);
                assertArrayEquals(d, values, 1e-10, threads + " threads");
                if (one == null) one = values;
                else assertTrue(Arrays.equals(one, values), threads + " threads: not the bits of one thread");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void extremesAndFullSpectrumOfAKnownMatrix() {
        double[] d = new double[60];
        for (int i = 0; i < d.length; i++) d[i] = -5 + i * i * 0.01 + (i % 7) * 1e-3;
        Arrays.sort(d);
        LinearOperator a = LinearOperator.of(rotated(d, 3));
        assertArrayEquals(d, Spectrum.full(a), 1e-10);
        Spectrum.Extremes e = Spectrum.extremes(a, 4, 1e-10, 5);
        assertTrue(e.converged());
        for (int i = 0; i < 4; i++) {
            assertEquals(d[d.length - 1 - i], e.top()[i], 1e-8);
            assertEquals(d[i], e.bottom()[i], 1e-8);
        }
        // a basis capped short of convergence says so, with the Ritz values it has
        Spectrum.Extremes capped = Spectrum.extremes(a, 4, 1e-10, 5, 12);
        assertTrue(!capped.converged() && capped.products() == 12 && capped.top().length == 4, capped.toString());
        assertTrue(Spectrum.maxSteps(1) == Integer.MAX_VALUE || Spectrum.maxSteps(1) > 1_000_000, "a small operator is never capped");
        assertEquals(32, Spectrum.maxSteps(Integer.MAX_VALUE), "at least 32 steps");
        assertEquals(9, Spectrum.top(a, 3, 1e-14, null, 5, 9).products(), "top stops at its cap too");
    }

    @Test
    void hutchinsonConvergesToTheTrace() {
        double[] d = new double[40];
        for (int i = 0; i < d.length; i++) d[i] = Math.sin(i) * 3;
        LinearOperator a = LinearOperator.of(rotated(d, 9));
        double exact = Arrays.stream(d).sum();
        Hutchinson.Estimate few = Hutchinson.trace(a, 20, 1), many = Hutchinson.trace(a, 20_000, 1);
        assertTrue(Math.abs(many.trace() - exact) < 4 * many.standardError() && many.standardError() < few.standardError() / 10,
                many + " vs exact " + exact);
        assertTrue(Math.abs(many.trace() - exact) < 0.2, "20,000 samples: " + many.trace() + " vs " + exact);
    }

    @Test
    void densityIntegratesToOneAndPeaksAtTheEigenvalues() {
        double[] d = {1, 1, 1, 5, 5, 9};
        SpectralDensity.Density dens = SpectralDensity.of(d);
        double integral = 0;
        for (int g = 1; g < dens.grid().length; g++)
            integral += 0.5 * (dens.values()[g] + dens.values()[g - 1]) * (dens.grid()[g] - dens.grid()[g - 1]);
        assertEquals(1, integral, 1e-12);
        int peak = 0;
        for (int g = 1; g < dens.values().length; g++) if (dens.values()[g] > dens.values()[peak]) peak = g;
        assertEquals(1, dens.grid()[peak], 0.1, "the triple eigenvalue dominates");
        SpectralDensity.Density slq = SpectralDensity.estimate(LinearOperator.of(rotated(new double[] {1, 1, 1, 5, 5, 9, 1, 1}, 2)), 30, 8, 4);
        int slqPeak = 0;
        for (int g = 1; g < slq.values().length; g++) if (slq.values()[g] > slq.values()[slqPeak]) slqPeak = g;
        assertEquals(1, slq.grid()[slqPeak], 0.2, "stochastic Lanczos quadrature finds the same mass");
    }
}
