package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectralVectorTest {
    private static double[][] symmetric(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rng.nextGaussian();
        return a;
    }

    private static double[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = rng.nextGaussian();
        return g;
    }

    private static double[] times(double[][] a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < x.length; j++) y[i] += a[i][j] * x[j];
        return y;
    }

    private static double norm(double[] x) {
        return Math.sqrt(Arrays.stream(x).map(v -> v * v).sum());
    }

    /** f = 1 gives g back (V is orthogonal), f = lambda gives A g and f = lambda^2 gives A A g. */
    @Test
    void functionsOfTheEigenvaluesAreProductsWithTheMatrix() {
        int p = BlockedTridiagonal.PANEL;
        for (int n : new int[] {1, 2, 3, 4, p - 1, p, p + 1, 2 * p + 3, 150}) {
            double[][] a = symmetric(n, n);
            double[] g = gaussian(n, 100 + n);
            SpectralVector s = SpectralVector.of(a, g);
            double[] ag = times(a, g), aag = times(a, ag);
            assertArrayEquals(g, s.apply(lambda -> 1), 1e-13 * norm(g), "n = " + n);
            assertArrayEquals(ag, s.apply(lambda -> lambda), 1e-13 * norm(ag), "n = " + n);
            assertArrayEquals(aag, s.apply(lambda -> lambda * lambda), 1e-13 * norm(aag), "n = " + n);
            // the coordinates keep g's length, and the eigenvalues are the dense solver's
            assertEquals(norm(g), norm(s.coordinates()), 1e-13 * norm(g));
            double[] values = s.eigenvalues();
            Arrays.sort(values);
            assertArrayEquals(Spectrum.eigenvalues(a), values, 1e-12 * Math.max(1, Math.abs(values[0]) + Math.abs(values[n - 1])));
        }
    }

    /** The inverse solves A x = g; a pseudo-inverse's cut drops the null space of a singular matrix. */
    @Test
    void solvesAndCutsTheNullSpace() {
        int n = 90;
        double[][] a = symmetric(n, 3);
        double[] g = gaussian(n, 4);
        double[] x = SpectralVector.of(a, g).apply(lambda -> 1 / lambda);
        assertArrayEquals(g, times(a, x), 1e-10 * norm(g));
        // B = U diag(d) U^T with 30 zero eigenvalues; g in B's range; B^+ g solves B x = g and has no null-space part
        double[][] u = new double[n][];
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            u[k] = gaussian(n, 1000 + k);
            for (int j = 0; j < k; j++) { // Gram-Schmidt, twice
                double c = 0;
                for (int i = 0; i < n; i++) c += u[k][i] * u[j][i];
                for (int i = 0; i < n; i++) u[k][i] -= c * u[j][i];
            }
            for (int j = 0; j < k; j++) {
                double c = 0;
                for (int i = 0; i < n; i++) c += u[k][i] * u[j][i];
                for (int i = 0; i < n; i++) u[k][i] -= c * u[j][i];
            }
            double length = norm(u[k]);
            for (int i = 0; i < n; i++) u[k][i] /= length;
            d[k] = k < 30 ? 0 : k % 2 == 0 ? 1 + k : -1 - k;
        }
        double[][] b = new double[n][n];
        double[] range = new double[n], expected = new double[n];
        for (int k = 30; k < n; k++) {
            double c = 1.0 / (k + 1);
            for (int i = 0; i < n; i++) {
                range[i] += c * u[k][i];
                expected[i] += c / d[k] * u[k][i];
                for (int j = 0; j < n; j++) b[i][j] += d[k] * u[k][i] * u[k][j];
            }
        }
        SpectralVector s = SpectralVector.of(b, range);
        double largest = Arrays.stream(s.eigenvalues()).map(Math::abs).max().orElseThrow();
        assertEquals(n, largest, 1e-12 * largest);
        double[] pinv = s.apply(lambda -> Math.abs(lambda) <= 1e-12 * largest ? 0 : 1 / lambda);
        assertArrayEquals(expected, pinv, 1e-12 * norm(expected));
    }

    /**
     * A Hessian's spectrum after a few Newton steps on a ReLU network: most eigenvalues near 1e-10, the rest near 1e4.
     * The rounding errors of the large ones (eps ||T||) reach the small ones in every sweep, so a test for negligible
     * entries that compares them with their neighbours alone gave up; the iteration ends, and the small eigenvalues
     * come out as accurately as any symmetric solver gives them, to eps ||A||.
     */
    @Test
    void convergesWhereTinyEigenvaluesShareABlockWithLargeOnes() {
        int n = 240;
        SplittableRandom rng = new SplittableRandom(9);
        double[] lambda = new double[n];
        for (int k = 0; k < n; k++) lambda[k] = k % 4 == 0 ? 1e4 * (1 + rng.nextDouble()) : 1e-10 * (1 + rng.nextDouble());
        var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(n, n);
        org.ejml.data.DMatrixRMaj random = new org.ejml.data.DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) random.data[i] = rng.nextGaussian();
        qr.decompose(random);
        org.ejml.data.DMatrixRMaj q = qr.getQ(null, false);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += q.get(i, k) * lambda[k] * q.get(j, k);
                a[i][j] = a[j][i] = sum;
            }
        double[] values = SpectralVector.of(a, gaussian(n, 10)).eigenvalues();
        Arrays.sort(values);
        Arrays.sort(lambda);
        assertArrayEquals(lambda, values, 1e-11 * lambda[n - 1]);
    }

    /** Applying Z from the iteration's saved states, every few rotations, gives the same bits as from one state. */
    @Test
    void segmentsMadeAgainGiveTheSameBits() {
        double[][] a = symmetric(120, 5);
        double[] g = gaussian(120, 6);
        double[] whole = SpectralVector.of(a, g, Integer.MAX_VALUE).apply(lambda -> 1 / (Math.abs(lambda) + 0.1));
        for (int segment : new int[] {1, 7, 500})
            assertArrayEquals(whole, SpectralVector.of(a, g, segment).apply(lambda -> 1 / (Math.abs(lambda) + 0.1)), 0,
                    "segment " + segment);
    }

    @Test
    void refusesAMatrixThatIsNotFinite() {
        double[][] a = symmetric(5, 1);
        a[3][1] = Double.NaN;
        assertThrows(IllegalStateException.class, () -> SpectralVector.of(a, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> SpectralVector.of(a, new double[4]));
    }
}
