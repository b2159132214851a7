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
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four doubles or more");
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

    @Test
    void theSumOfSquaresIsThePlainSum() {
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four doubles or more");
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
