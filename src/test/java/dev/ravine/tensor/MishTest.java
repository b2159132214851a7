package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mish's kernel: within 0.55 ulps of the exact value (mpmath's, {@code src/test/resources/golden/generate.py
 * activations64}) where it is normal and an ulp in its subnormal tail, its derivative within 3 ulps of its terms; both
 * the float64 path's Math to a few ulps and the derivative the forward pass's central differences; PyTorch's form's
 * values at zeros, infinities and NaN; the vectors the same bits as the scalar twins.
 */
class MishTest {
    static final DoubleLaneTwins.Loop LOOP = Mish::vectors;

    @Test
    void nearlyCorrectlyRounded() throws Exception {
        double[] x = DoubleLaneTwins.goldenInputs();
        BigDecimal[] exact = DoubleLaneTwins.golden("mish"), exactSlope = DoubleLaneTwins.golden("mish_slope");
        int n = x.length, rounded = 0;
        double[] vectors = new double[n], slopes = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        DoubleLaneTwins.viaVectors(LOOP, false, Mish::mish, Mish::scale, x, 0, null, vectors, 0, n);
        DoubleLaneTwins.viaVectors(LOOP, true, Mish::mish, Mish::scale, x, 0, ones, slopes, 0, n);
        double worst = 0, worstSlope = 0;
        for (int i = 0; i < n; i++) {
            double ours = Mish.mish(x[i]), ulps = DoubleLaneTwins.ulps(ours, exact[i]);
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at x=" + x[i]);
            boolean normal = Math.abs(exact[i].doubleValue()) >= Double.MIN_NORMAL;
            assertTrue(ulps <= (normal ? 0.55 : 1), "Mish(" + x[i] + ") = " + ours + ", exactly " + exact[i] + ": " + ulps + " ulps");
            worst = Math.max(worst, normal ? ulps : 0);
            if (ours == exact[i].doubleValue()) rounded++;
            // the slope t + x sigmoid(x) (1 - t^2): in ulps of its terms (they cancel at its root, x = -1.19), where e^x is
            // normal (below -708.4 it loses digits as a subnormal, as the slope itself does)
            double slope = Mish.scale(x[i], 1);
            assertEquals(Double.doubleToLongBits(slope), Double.doubleToLongBits(slopes[i]), "the slope's vectors at x=" + x[i]);
            if (x[i] > -708) {
                double terms = terms(x[i], 1);
                double slopeUlps = new BigDecimal(slope).subtract(exactSlope[i]).abs().doubleValue() / Math.ulp(terms);
                assertTrue(slopeUlps <= 3, "Mish'(" + x[i] + ") = " + slope + ", exactly " + exactSlope[i] + ": " + slopeUlps + " ulps");
                worstSlope = Math.max(worstSlope, slopeUlps);
            } else assertTrue(Math.abs(slope) <= 1e-300, "Mish'(" + x[i] + ") = " + slope);
        }
        assertTrue(worst > 0.4 && worstSlope > 1, "the golden inputs reach the roundings: " + worst + ", " + worstSlope);
        assertTrue(rounded > 0.95 * n, "correctly rounded at " + rounded + " of " + n);
    }

    @Test
    void zerosInfinitiesAndNaNsAsPyTorchsForm() {
        double[][] cases = {{0, 0, 0.6}, {-0.0, -0.0, 0.6}, {1e300, 1e300, 1}, {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN},
                {-800, -0.0, -0.0}, {-1e300, -0.0, -0.0}, {Double.NEGATIVE_INFINITY, Double.NaN, Double.NaN}, {Double.NaN, Double.NaN, Double.NaN}};
        double[] x = new double[cases.length * 3], y = new double[x.length], s = new double[x.length], ones = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = cases[i % cases.length][0];
            ones[i] = 1;
        }
        DoubleLaneTwins.viaVectors(LOOP, false, Mish::mish, Mish::scale, x, 0, null, y, 0, x.length);
        DoubleLaneTwins.viaVectors(LOOP, true, Mish::mish, Mish::scale, x, 0, ones, s, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double[] c = cases[i % cases.length];
            assertEquals(Double.doubleToLongBits(c[1]), Double.doubleToLongBits(Mish.mish(x[i])), "Mish(" + x[i] + ")");
            assertEquals(Double.doubleToLongBits(c[1]), Double.doubleToLongBits(y[i]), "the vectors at " + x[i]);
            assertEquals(c[2], Mish.scale(x[i], 1), Double.isNaN(c[2]) ? 0 : Math.ulp(c[2]), "Mish'(" + x[i] + ")");
            assertEquals(Double.doubleToLongBits(Mish.scale(x[i], 1)), Double.doubleToLongBits(s[i]), "the slope's vectors at " + x[i]);
        }
        assertEquals(Activation.MISH.apply(Double.NEGATIVE_INFINITY), Mish.mish(Double.NEGATIVE_INFINITY), "NaN as the float64 path's");
    }

    @Test
    void vectorsAreTheScalarTwinsAtEveryLength() {
        DoubleLaneTwins.vectorsAreTheTwinsAtEveryLength(Float32Kernel.MISH, Float64Kernel.MISH, new double[0], LOOP, Mish::mish, Mish::scale);
    }

    /** Both passes the float64 path's Math to a few ulps (of the terms, for the slope); the slope the forward pass's. */
    @Test
    void theFloat64PathsValuesAndTheForwardPasssSlope() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double x = i % 2 == 0 ? rng.nextDouble(-10, 10) : rng.nextDouble(-700, 30), g = rng.nextDouble(-2, 2);
            double math = Activation.MISH.apply(x), slope = g * Activation.MISH.derivative(x, math);
            assertEquals(math, Mish.mish(x), 4 * Math.ulp(math), "Mish(" + x + ")");
            // Math's form loses digits in 1 - t^2 as t nears 1, by ~x ulps
            assertEquals(slope, Mish.scale(x, g), (8 + 2 * Math.abs(x)) * Math.ulp(terms(x, g)), "in Mish'(" + x + ")");
        }
        double h = 1e-6;
        for (double x = -30; x <= 30; x += 0.0625 + 1e-3) {
            double slope = (Mish.mish(x + h) - Mish.mish(x - h)) / (2 * h);
            assertEquals(slope, Mish.scale(x, 1), 1e-9 * Math.max(1, Math.abs(x)), "Mish'(" + x + ")");
        }
    }

    /** |in| (|t| + |x sigmoid(x) (1 - t^2)|), the size of the slope's terms, by Math's functions. */
    private static double terms(double x, double in) {
        double t = Math.tanh(Math.log1p(Math.exp(x))), sigmoid = 1 / (1 + Math.exp(-x));
        return Math.abs(in) * (t + Math.abs(x) * sigmoid * (1 - t * t));
    }
}
