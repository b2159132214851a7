package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The vector sums against their plain loops, over stretches that start and end inside a vector: the penalty's pass
 * with its gradient to the last bit (the same float operations in the same order) and its sums of |w| and w^2 to
 * double rounding; the sum of squares to double rounding.
 */
class DoubleSumsTest {
    @Test
    void thePenaltysPassIsThePlainLoop() {
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four or eight doubles");
        SplittableRandom rng = new SplittableRandom(9);
        for (int n : new int[] {1, 3, 8, 17, 1000, 200_707}) {
            float[] w = new float[n + 5], g = new float[n + 5];
            for (int i = 0; i < w.length; i++) {
                w[i] = i % 11 == 0 ? 0 : (float) rng.nextDouble(-2, 2);
                g[i] = (float) rng.nextDouble(-1, 1);
            }
            float[] expected = g.clone();
            int from = 3, to = 3 + n;
            float a = 1e-3f, b = 0.25f;
            double abs = 0, squares = 0;
            for (int i = from; i < to; i++) {
                expected[i] += a * Math.signum(w[i]) + b * w[i];
                abs += Math.abs(w[i]);
                squares += w[i] * w[i];
            }
            double[] sums = new double[2];
            DoubleSums.l1l2(w, g, from, to, a, b, sums);
            assertArrayEquals(expected, g, "n=" + n);
            assertEquals(abs, sums[0], 1e-12 * abs, "sum |w|, n=" + n);
            assertEquals(squares, sums[1], 1e-12 * squares, "sum w^2, n=" + n);
        }
    }

    /**
     * The sums keep 16 partial sums whatever the width and add them in order, so they are the same numbers at 256 and
     * 512 bits, and before and after the JIT compiles them (C2's {@code reduceLanes(ADD)} adds in another order than
     * the interpreter): the bits of a plain loop that keeps those partial sums, on the first call and after 20,000.
     */
    @Test
    void theSumsAreTheSameBitsAtEveryWidthAndBeforeAndAfterTheJitCompilesThem() {
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four or eight doubles");
        int partials = DoubleSums.PARTIALS, n = 1003;
        assertEquals(16, partials);
        SplittableRandom rng = new SplittableRandom(12);
        float[] a = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(6)));
        // partial p takes the elements p, p + 16, ...: the square by a fused multiply-add, |w| and the float square w*w widened
        double[] fused = new double[partials], abs = new double[partials], sq = new double[partials];
        int i = 0;
        for (; i + partials <= n; i += partials)
            for (int p = 0; p < partials; p++) {
                fused[p] = Math.fma(a[i + p], a[i + p], fused[p]);
                abs[p] += Math.abs((double) a[i + p]);
                sq[p] += a[i + p] * a[i + p];
            }
        double squares = 0, absSum = 0, squareSum = 0;
        for (int p = 0; p < partials; p++) {
            squares += fused[p];
            absSum += abs[p];
            squareSum += sq[p];
        }
        for (; i < n; i++) {
            squares += (double) a[i] * a[i];
            absSum += Math.abs(a[i]);
            squareSum += a[i] * a[i];
        }
        double[] sums = new double[2];
        for (int call = 0; call <= 20_000; call++) {
            double got = DoubleSums.squares(a, 0, n);
            DoubleSums.l1l2(a, g, 0, n, 0, 0, sums);
            if (call == 0 || call == 20_000) {
                assertEquals(squares, got, 0, "sum of squares, call " + call);
                assertEquals(absSum, sums[0], 0, "sum |w|, call " + call);
                assertEquals(squareSum, sums[1], 0, "sum w^2, call " + call);
            }
        }
    }

    @Test
    void theSumOfSquaresIsThePlainSum() {
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four or eight doubles");
        SplittableRandom rng = new SplittableRandom(4);
        for (int n : new int[] {0, 1, 5, 16, 31, 1000, 269_322}) {
            float[] a = new float[n + 7];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-3, 3);
            double expected = 0;
            for (int i = 7; i < 7 + n; i++) expected += (double) a[i] * a[i];
            assertEquals(expected, DoubleSums.squares(a, 7, n), 1e-13 * expected, "n=" + n);
        }
    }
}
