package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import dev.ravine.nn.MlpSpec;
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
    /** Softplus's loop at PyTorch's defaults. */
    static final DoubleLaneTwins.Loop LOOP = loop(Softplus.BETA, Softplus.THRESHOLD);

    /** Softplus's loop with this beta and threshold. */
    static DoubleLaneTwins.Loop loop(double beta, double threshold) {
        return (slope, xf, inF, outF, xd, inD, outD, xo, io, oo, whole) -> Softplus.vectors(beta, threshold, slope, xf, inF, outF, xd, inD, outD,
                xo, io, oo, whole);
    }

    /** The scalar twins at PyTorch's defaults. */
    static double softplus(double x) {
        return Softplus.softplus(Softplus.BETA, Softplus.THRESHOLD, x);
    }

    static float softplus(float x) {
        return Softplus.softplus(Softplus.BETA, Softplus.THRESHOLD, x);
    }

    static double scale(double x, double in) {
        return Softplus.scale(Softplus.BETA, Softplus.THRESHOLD, x, in);
    }

    static float scale(float x, float in) {
        return Softplus.scale(Softplus.BETA, Softplus.THRESHOLD, x, in);
    }

    @Test
    void nearlyCorrectlyRoundedAndSoIsItsSlope() throws Exception {
        double[] x = DoubleLaneTwins.goldenInputs();
        BigDecimal[] exact = DoubleLaneTwins.golden("softplus"), sigmoid = DoubleLaneTwins.golden("sigmoid");
        int n = x.length, rounded = 0;
        double[] vectors = new double[n], slopes = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        DoubleLaneTwins.viaVectors(LOOP, false, SoftplusTest::softplus, SoftplusTest::scale, x, 0, null, vectors, 0, n);
        DoubleLaneTwins.viaVectors(LOOP, true, SoftplusTest::softplus, SoftplusTest::scale, x, 0, ones, slopes, 0, n);
        double worst = 0, worstSlope = 0;
        for (int i = 0; i < n; i++) {
            double ours = softplus(x[i]), ulps = DoubleLaneTwins.ulps(ours, exact[i]);
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at x=" + x[i]);
            assertTrue(ulps <= 0.85, "Softplus(" + x[i] + ") = " + ours + ", exactly " + exact[i] + ": " + ulps + " ulps");
            if (ours == exact[i].doubleValue()) rounded++;
            worst = Math.max(worst, ulps);
            // PyTorch's slope above the threshold is 1, where the sigmoid is 1 - 2e-9
            double slope = scale(x[i], 1), slopeUlps = x[i] > 20 ? (slope == 1 ? 0 : 99) : DoubleLaneTwins.ulps(slope, sigmoid[i]);
            assertEquals(Double.doubleToLongBits(slope), Double.doubleToLongBits(slopes[i]), "the slope's vectors at x=" + x[i]);
            // in the lowest binades, where the sigmoid's 2^k is applied in halves, a third of an ulp more
            boolean lowest = Math.abs(slope) < 4 * Double.MIN_NORMAL;
            assertTrue(slopeUlps <= (lowest ? 0.7 : 0.52), "Softplus'(" + x[i] + ") = " + slope + ", exactly " + sigmoid[i] + ": " + slopeUlps + " ulps");
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
            assertEquals(c[1], softplus(c[0]), Double.isNaN(c[1]) ? 0 : Math.ulp(c[1]), "Softplus(" + c[0] + ")");
            assertEquals(c[2], scale(c[0], 1), Double.isNaN(c[2]) ? 0 : Math.ulp(c[2]), "Softplus'(" + c[0] + ")");
        }
        double[] x = new double[cases.length * 3], y = new double[x.length], s = new double[x.length], ones = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = cases[i % cases.length][0];
            ones[i] = 1;
        }
        DoubleLaneTwins.viaVectors(LOOP, false, SoftplusTest::softplus, SoftplusTest::scale, x, 0, null, y, 0, x.length);
        DoubleLaneTwins.viaVectors(LOOP, true, SoftplusTest::softplus, SoftplusTest::scale, x, 0, ones, s, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToLongBits(softplus(x[i])), Double.doubleToLongBits(y[i]), "the vectors at " + x[i]);
            assertEquals(Double.doubleToLongBits(scale(x[i], 1)), Double.doubleToLongBits(s[i]), "the slope's vectors at " + x[i]);
        }
    }

    @Test
    void vectorsAreTheScalarTwinsAtEveryLength() {
        DoubleLaneTwins.vectorsAreTheTwinsAtEveryLength(Float32Kernel.SOFTPLUS, Float64Kernel.SOFTPLUS, Float32Kernel.SOFTPLUS.parameters(), LOOP,
                SoftplusTest::softplus, SoftplusTest::scale);
    }

    /** Both passes within an ulp of the float64 path's Math (and in float32 the same float but near a tie); the slope the forward pass's. */
    @Test
    void theFloat64PathsValuesAndTheForwardPasssSlope() {
        SplittableRandom rng = new SplittableRandom(7);
        int same = 0, n = 20_000;
        for (int i = 0; i < n; i++) {
            double x = i % 2 == 0 ? rng.nextDouble(-10, 10) : rng.nextDouble(-750, 30), g = rng.nextDouble(-2, 2);
            double math = Activation.SOFTPLUS.apply(x), slope = g * Activation.SOFTPLUS.derivative(x, math);
            assertEquals(math, softplus(x), Math.ulp(math), "Softplus(" + x + ")");
            assertEquals(slope, scale(x, g), 3 * Math.ulp(slope), "in Softplus'(" + x + ")");
            float xf = (float) x;
            if (softplus(xf) == (float) Activation.SOFTPLUS.apply(xf)) same++;
        }
        assertTrue(same > 0.999 * n, "float32 the float64 path's float at " + same + " of " + n);
        double h = 1e-6;
        for (double x = -30; x <= 19.9; x += 0.0625 + 1e-3) {
            double slope = (softplus(x + h) - softplus(x - h)) / (2 * h);
            assertEquals(slope, scale(x, 1), 1e-9 * Math.max(1, softplus(x)), "Softplus'(" + x + ")");
        }
    }
    /**
     * beta 2 at x / 2 and beta 1/2 at 2x: z = beta x is x exactly, so Softplus is the golden value divided by beta,
     * exactly, and its slope the golden sigmoid: the same bounds as at the defaults, through the division and the
     * threshold on z.
     */
    @Test
    void aModelSpecsBetaIsTheGoldenValueScaled() throws Exception {
        double[] golden = DoubleLaneTwins.goldenInputs();
        BigDecimal[] exact = DoubleLaneTwins.golden("softplus"), sigmoid = DoubleLaneTwins.golden("sigmoid");
        for (double beta : new double[] {2, 0.5}) {
            int n = golden.length;
            double[] x = new double[n], vectors = new double[n], slopes = new double[n], ones = new double[n];
            for (int i = 0; i < n; i++) x[i] = golden[i] / beta;
            java.util.Arrays.fill(ones, 1);
            DoubleLaneTwins.viaVectors(loop(beta, Softplus.THRESHOLD), false, v -> Softplus.softplus(beta, Softplus.THRESHOLD, v),
                    (v, g) -> Softplus.scale(beta, Softplus.THRESHOLD, v, g), x, 0, null, vectors, 0, n);
            DoubleLaneTwins.viaVectors(loop(beta, Softplus.THRESHOLD), true, v -> Softplus.softplus(beta, Softplus.THRESHOLD, v),
                    (v, g) -> Softplus.scale(beta, Softplus.THRESHOLD, v, g), x, 0, ones, slopes, 0, n);
            for (int i = 0; i < n; i++) {
                if (beta * x[i] != golden[i]) continue; // x / beta left the normal range
                String at = "beta=" + beta + " x=" + x[i];
                double ours = Softplus.softplus(beta, Softplus.THRESHOLD, x[i]), slope = Softplus.scale(beta, Softplus.THRESHOLD, x[i], 1);
                BigDecimal value = exact[i].divide(new BigDecimal(beta));
                assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at " + at);
                assertEquals(Double.doubleToLongBits(slope), Double.doubleToLongBits(slopes[i]), "the slope's vectors at " + at);
                // below the normal range Softplus(z) rounds into the subnormals and the division by beta rounds again
                double bound = Math.abs(value.doubleValue()) < Double.MIN_NORMAL ? 1.5 : 0.85;
                assertTrue(DoubleLaneTwins.ulps(ours, value) <= bound, "Softplus at " + at + " = " + ours + ", exactly " + value + ": "
                        + DoubleLaneTwins.ulps(ours, value) + " ulps");
                double slopeUlps = golden[i] > 20 ? (slope == 1 ? 0 : 99) : DoubleLaneTwins.ulps(slope, sigmoid[i]);
                assertTrue(slopeUlps <= (Math.abs(slope) < 4 * Double.MIN_NORMAL ? 0.7 : 0.52), "Softplus' at " + at + " = " + slope + ", exactly "
                        + sigmoid[i]);
            }
        }
    }

    /** Another beta and threshold: the vectors the scalar twins' bits at every length, in both dtypes. */
    @Test
    void aModelSpecsVectorsAreTheScalarTwinsAtEveryLength() {
        double beta = 2.5, threshold = 5;
        DoubleLaneTwins.vectorsAreTheTwinsAtEveryLength(Float32Kernel.SOFTPLUS, Float64Kernel.SOFTPLUS, new double[] {beta, threshold},
                loop(beta, threshold), v -> Softplus.softplus(beta, threshold, v), (v, g) -> Softplus.scale(beta, threshold, v, g));
    }

    /**
     * A model spec's Softplus on the kernels against its entry-by-entry form (Math's log1p(e^z) / beta and the sigmoid
     * of z, PyTorch's formula): within a few ulps, the same threshold on z.
     */
    @Test
    void aModelSpecsKernelsAreItsFormulas() {
        Pointwise f = MlpSpec.parse("mlp:1:softplus:beta=2.5,threshold=5").activation().function();
        assertEquals(Float32Kernel.SOFTPLUS, f.float32Kernel());
        assertEquals(2.5, f.parameters()[0]);
        assertEquals(5, f.parameters()[1]);
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < 20_000; i++) {
            double x = i % 2 == 0 ? rng.nextDouble(-4, 4) : rng.nextDouble(-300, 12), g = rng.nextDouble(-2, 2);
            double path = f.apply(x), slope = g * f.derivative(x, path);
            assertEquals(path, Softplus.softplus(2.5, 5, x), 3 * Math.ulp(path), "Softplus(" + x + ")");
            assertEquals(slope, Softplus.scale(2.5, 5, x, g), 3 * Math.ulp(slope), "in Softplus'(" + x + ")");
        }
    }
}
