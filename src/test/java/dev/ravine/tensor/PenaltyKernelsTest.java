package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The penalty's vector pass against its plain loop: the gradient to the last bit (the same float operations in the
 * same order), the sums of |w| and w^2 to double rounding, over stretches that start and end inside a vector.
 */
class PenaltyKernelsTest {
    @Test
    void theVectorPassIsThePlainLoop() {
        Assumptions.assumeTrue(Kernels.vector() && PenaltyKernels.fits(), "vectors of four doubles or more");
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
            PenaltyKernels.l1l2(w, g, from, to, a, b, sums);
            assertArrayEquals(expected, g, "n=" + n);
            assertEquals(abs, sums[0], 1e-12 * abs, "sum |w|, n=" + n);
            assertEquals(squares, sums[1], 1e-12 * squares, "sum w^2, n=" + n);
        }
    }
}
