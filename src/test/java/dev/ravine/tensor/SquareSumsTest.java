package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The vector sum of squares against the plain double loop, to double rounding, over stretches ending inside a vector. */
class SquareSumsTest {
    @Test
    void theVectorSumIsThePlainSum() {
        Assumptions.assumeTrue(Kernels.vector() && SquareSums.fits(), "vectors of four doubles or more");
        SplittableRandom rng = new SplittableRandom(4);
        for (int n : new int[] {0, 1, 5, 16, 31, 1000, 269_322}) {
            float[] a = new float[n + 7];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-3, 3);
            double expected = 0;
            for (int i = 7; i < 7 + n; i++) expected += (double) a[i] * a[i];
            assertEquals(expected, SquareSums.of(a, 7, n), 1e-13 * expected, "n=" + n);
        }
    }
}
