package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softplus's kernel: within 0.85 ulps of the exact value (mpmath's, {@code src/test/resources/golden/generate.py
 * activations64}) with PyTorch's threshold, its derivative within 0.55 ulps of the sigmoid, both within an ulp (the
 * slope three) of the float64 path's Math; PyTorch's values at zeros, infinities and NaN; the vectors the same bits as
 * the scalar twins.
 */
class SoftplusTest {
    static final DoubleLaneTwins.Loop LOOP = Softplus::vectors;

    @Test
    void nearlyCorrectlyRoundedAndSoIsItsSlope() throws Exception {
        double[] x = DoubleLaneTwins.goldenInputs();
        BigDecimal[] exact = DoubleLaneTwins.golden("softplus"), sigmoid = DoubleLaneTwins.golden("sigmoid");
        int n = x.length, rounded = 0;
        double[] vectors = new double[n], slopes = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        DoubleLaneTwins.viaVectors(LOOP, false, Softplus::softplus, Softplus::scale, x, 0, null, vectors, 0, n);
        DoubleLaneTwins.viaVectors(LOOP, true, Softplus::softplus, Softplus::scale, x, 0, ones, slopes, 0, n);
        double worst = 0, worstSlope = 0;
        for (int i = 0; i < n; i++) {
            double ours = Softplus.softplus(x[i]), ulps = DoubleLaneTwins.ulps(ours, exact[i]);
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at x=" + x[i]);
            assertTrue(ulps <= 0.85, "Softplus(" + x[i] + ") = " + ours + ", exactly " + exact[i] + ": " + ulps + " ulps");
            if (ours == exact[i].doubleValue()) rounded++;
            worst = Math.max(worst, ulps);
            // PyTorch's slope above the threshold is 1, where the sigmoid is 1 - 2e-9
            double slope = Softplus.scale(x[i], 1), slopeUlps = x[i] > 20 ? (slope == 1 ? 0 : 99) : DoubleLaneTwins.ulps(slope, sigmoid[i]);
            assertEquals(Double.doubleToLongBits(slope), Double.doubleToLongBits(slopes[i]), "the slope's vectors at x=" + x[i]);
            assertTrue(slopeUlps <= 0.55, "Softplus'(" + x[i] + ") = " + slope + ", exactly " + sigmoid[i] + ": " + slopeUlps + " ulps");
            worstSlope = Math.max(worstSlope, slopeUlps);
        }
        assertTrue(worst > 0.4 && worstSlope > 0.4, "the golden inputs reach rounding's own half ulp: " + worst + ", " + worstSlope);
        assertTrue(rounded > 0.95 * n, "correctly rounded at " + rounded + " of " + n);
    }

    @Test
    void zerosInfinitiesAndNaNsAsPyTorch() {
        double ln2 = Math.log(2);
        double[][] cases = {{0, ln2, 0.5}, {-0.0, ln2, 0.5}, {20, 20 + Math.exp(-20), 1 / (1 + Math.exp(-20))}, {Math.nextUp(20.0), Math.nextUp(20.0), 1},
                {1e300, 1e300, 1}, {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1}, {-800, 0, 0}, {-1e300, 0, 0},
                {Double.NEGATIVE_INFINITY, 0, 0}, {Double.NaN, Double.NaN, Double.NaN}};
        for (double[] c : cases) {
            assertEquals(c[1], Softplus.softplus(c[0]), Double.isNaN(c[1]) ? 0 : Math.ulp(c[1]), "Softplus(" + c[0] + ")");
            assertEquals(c[2], Softplus.scale(c[0], 1), Double.isNaN(c[2]) ? 0 : Math.ulp(c[2]), "Softplus'(" + c[0] + ")");
        }
        double[] x = new double[cases.length * 3], y = new double[x.length], s = new double[x.length], ones = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = cases[i % cases.length][0];
            ones[i] = 1;
        }
        DoubleLaneTwins.viaVectors(LOOP, false, Softplus::softplus, Softplus::scale, x, 0, null, y, 0, x.length);
        DoubleLaneTwins.viaVectors(LOOP, true, Softplus::softplus, Softplus::scale, x, 0, ones, s, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToLongBits(Softplus.softplus(x[i])), Double.doubleToLongBits(y[i]), "the vectors at " + x[i]);
            assertEquals(Double.doubleToLongBits(Softplus.scale(x[i], 1)), Double.doubleToLongBits(s[i]), "the slope's vectors at " + x[i]);
        }
    }

    @Test
    void vectorsAreTheScalarTwinsAtEveryLength() {
        DoubleLaneTwins.vectorsAreTheTwinsAtEveryLength(Float32Kernel.SOFTPLUS, Float64Kernel.SOFTPLUS, LOOP, Softplus::softplus, Softplus::scale);
    }

    /** Both passes within an ulp of the float64 path's Math (and in float32 the same float but near a tie); the slope the forward pass's. */
    @Test
    void theFloat64PathsValuesAndTheForwardPasssSlope() {
        SplittableRandom rng = new SplittableRandom(7);
        int same = 0, n = 20_000;
        for (int i = 0; i < n; i++) {
            double x = i % 2 == 0 ? rng.nextDouble(-10, 10) : rng.nextDouble(-750, 30), g = rng.nextDouble(-2, 2);
            double math = Activation.SOFTPLUS.apply(x), slope = g * Activation.SOFTPLUS.derivative(x, math);
            assertEquals(math, Softplus.softplus(x), Math.ulp(math), "Softplus(" + x + ")");
            assertEquals(slope, Softplus.scale(x, g), 3 * Math.ulp(slope), "in Softplus'(" + x + ")");
            float xf = (float) x;
            if (Softplus.softplus(xf) == (float) Activation.SOFTPLUS.apply(xf)) same++;
        }
        assertTrue(same > 0.999 * n, "float32 the float64 path's float at " + same + " of " + n);
        double h = 1e-6;
        for (double x = -30; x <= 19.9; x += 0.0625 + 1e-3) {
            double slope = (Softplus.softplus(x + h) - Softplus.softplus(x - h)) / (2 * h);
            assertEquals(slope, Softplus.scale(x, 1), 1e-9 * Math.max(1, Softplus.softplus(x)), "Softplus'(" + x + ")");
        }
    }
}
