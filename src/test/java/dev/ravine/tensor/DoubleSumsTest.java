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

    /**
     * The sums add their lanes in lane order, so they are the same numbers before and after the JIT compiles them
     * (C2's {@code reduceLanes(ADD)} adds in another order than the interpreter): the same bits on the first call and
     * after 20,000, and the bits of a plain loop that keeps the kernel's per-lane sums.
     */
    @Test
    void theSumsAreTheSameBitsBeforeAndAfterTheJitCompilesThem() {
        Assumptions.assumeTrue(Kernels.vector() && DoubleSums.fits(), "vectors of four doubles or more");
        int lanes = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length(), n = 1003;
        SplittableRandom rng = new SplittableRandom(12);
        float[] a = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(6)));
        // squares: two accumulators of lanes, a's elements i + j (one block) and i + lanes + j (the next) into lane j
        double[] s0 = new double[lanes], s1 = new double[lanes];
        int i = 0;
        for (; i + 2 * lanes <= n; i += 2 * lanes)
            for (int j = 0; j < lanes; j++) {
                s0[j] = Math.fma(a[i + j], a[i + j], s0[j]);
                s1[j] = Math.fma(a[i + lanes + j], a[i + lanes + j], s1[j]);
            }
        double squares = 0;
        for (int j = 0; j < lanes; j++) squares += s0[j] + s1[j];
        for (; i < n; i++) squares += (double) a[i] * a[i];
        // the penalty's sums: |w| and the float square w*w, widened, into lane j of two accumulators
        double[] abs = new double[lanes], sq = new double[lanes];
        int k = 0;
        for (; k + lanes <= n; k += lanes)
            for (int j = 0; j < lanes; j++) {
                abs[j] += Math.abs((double) a[k + j]);
                sq[j] += a[k + j] * a[k + j];
            }
        double absSum = 0, squareSum = 0;
        for (int j = 0; j < lanes; j++) {
            absSum += abs[j];
            squareSum += sq[j];
        }
        for (; k < n; k++) {
            absSum += Math.abs(a[k]);
            squareSum += a[k] * a[k];
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
