package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.MlpSpec;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernels of GELU's tanh form: in float64 within 0.6 ulps of the exact value (mpmath's with PyTorch's constants,
 * {@code src/test/resources/golden/generate.py activations64}), its derivative within 4 ulps of its two terms; in float32
 * the float64 kernel's floats but near ties; both the formula PyTorch writes (Math's tanh, entry by entry) where that
 * keeps its digits; PyTorch's values at zeros, infinities and NaN; the vectors the same bits as the scalar twins.
 */
class GeluTanhTest {
    /** The activation a model spec names: the kernels' passes, and PyTorch's formula entry by entry. */
    static final Pointwise FUNCTION = MlpSpec.parse("mlp:1:gelu:approximate=tanh").activation().function();

    /** The float64 function over n entries by its vector loop wherever it can go (four double lanes or more), else its twin. */
    static void viaVectors64(double[] x, int xo, double[] y, int yo, int n) {
        int i = lanes() >= 4 ? GeluTanh64.forward(x, xo, y, yo, n - n % lanes()) : 0;
        for (; i < n; i++) y[yo + i] = GeluTanh64.gelu(x[xo + i]);
    }

    /** in times the float64 derivative over all of x, as {@link #viaVectors64}. */
    static void scaleViaVectors64(double[] x, double[] in, double[] out) {
        int n = x.length, i = lanes() >= 4 ? GeluTanh64.slope(x, 0, in, 0, out, 0, n - n % lanes()) : 0;
        for (; i < n; i++) out[i] = GeluTanh64.scale(x[i], in[i]);
    }

    /** The float32 function over n entries, as {@link #viaVectors64}. */
    static void viaVectors32(float[] x, int xo, float[] y, int yo, int n) {
        int i = lanes() >= 4 ? GeluTanh32.forward(x, xo, y, yo, n - n % lanes()) : 0;
        for (; i < n; i++) y[yo + i] = GeluTanh32.gelu(x[xo + i]);
    }

    /** in times the float32 derivative over all of x, as {@link #viaVectors64}. */
    static void scaleViaVectors32(float[] x, float[] in, float[] out) {
        int n = x.length, i = lanes() >= 4 ? GeluTanh32.slope(x, 0, in, 0, out, 0, n - n % lanes()) : 0;
        for (; i < n; i++) out[i] = GeluTanh32.scale(x[i], in[i]);
    }

    private static int lanes() {
        return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
    }

    /**
     * The derivative sigma(z) + x z' sigma(z) (1 - sigma(z)) crosses 0 near x = -0.75, where its two terms cancel; its
     * error is counted in ulps of their magnitudes' sum (in double from Math's exp: only its size matters).
     */
    @Test
    void nearlyCorrectlyRoundedAndSoIsItsSlope() throws Exception {
        double[] x = DoubleLaneTwins.goldenInputs();
        BigDecimal[] exact = DoubleLaneTwins.golden("gelu_tanh"), slopeExact = DoubleLaneTwins.golden("gelu_tanh_slope");
        int n = x.length, rounded = 0;
        double[] vectors = new double[n], slopes = new double[n], ones = new double[n];
        Arrays.fill(ones, 1);
        viaVectors64(x, 0, vectors, 0, n);
        scaleViaVectors64(x, ones, slopes);
        double worst = 0, worstSlope = 0;
        for (int i = 0; i < n; i++) {
            double ours = GeluTanh64.gelu(x[i]), ulps = DoubleLaneTwins.ulps(ours, exact[i]);
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at x=" + x[i]);
            assertTrue(ulps <= 0.6, "GELU(" + x[i] + ") = " + ours + ", exactly " + exact[i] + ": " + ulps + " ulps");
            if (ours == exact[i].doubleValue()) rounded++;
            worst = Math.max(worst, ulps);
            double slope = GeluTanh64.scale(x[i], 1);
            assertEquals(Double.doubleToLongBits(slope), Double.doubleToLongBits(slopes[i]), "the slope's vectors at x=" + x[i]);
            double z = 2 * GeluTanh64.BETA * (x[i] + GeluTanh64.KAPPA * x[i] * x[i] * x[i]), e = Math.exp(-Math.abs(z));
            double terms = (z < 0 ? e : 1) / (1 + e) + Math.abs(x[i] * 2 * GeluTanh64.BETA * (1 + 3 * GeluTanh64.KAPPA * x[i] * x[i]) * e / (1 + e) / (1 + e));
            double slopeUlps = Math.abs(x[i]) > 40 ? (slope == slopeExact[i].doubleValue() ? 0 : 99)
                    : new BigDecimal(slope).subtract(slopeExact[i]).abs().doubleValue() / Math.ulp(terms);
            assertTrue(slopeUlps <= 4, "GELU'(" + x[i] + ") = " + slope + ", exactly " + slopeExact[i] + ": " + slopeUlps + " ulps of " + terms);
            worstSlope = Math.max(worstSlope, slopeUlps);
        }
        assertTrue(worst > 0.4 && worstSlope > 1, "the golden inputs reach rounding's own half ulp: " + worst + ", " + worstSlope);
        assertTrue(rounded > 0.99 * n, "correctly rounded at " + rounded + " of " + n);
    }

    /**
     * PyTorch's: the function x past the bend, -0 far below it (in float32 wherever it is under the least normal float)
     * and NaN at -inf (inf times 0); its derivative NaN at either infinity. (Far below the bend the derivative, a
     * negative number under the least subnormal, rounds to -0, where PyTorch's sum of two zeros gives +0.)
     */
    @Test
    void zerosInfinitiesAndNaNsAsPyTorch() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        double[][] cases = {{0, 0, 0.5}, {-0.0, -0.0, 0.5}, {-30, -0.0, -0.0}, {-1e300, -0.0, -0.0}, {30, 30, 1}, {1e300, 1e300, 1}, {inf, inf, nan},
                {-inf, nan, nan}, {nan, nan, nan}};
        // the float tail: normal at -10, subnormal (so +-0 here) from -10.15, where the float64 kernel is not 0
        assertTrue(GeluTanh32.gelu(-10f) < -Float.MIN_NORMAL && GeluTanh64.gelu(-10.3) < 0 && GeluTanh64.gelu(-10.3) > -Float.MIN_NORMAL);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(GeluTanh32.gelu(-10.3f)), "flushed to -0");
        for (double[] c : cases) {
            assertEquals(Double.doubleToLongBits(c[1]), Double.doubleToLongBits(GeluTanh64.gelu(c[0])), "GELU(" + c[0] + ")");
            assertEquals(Double.doubleToLongBits(c[2]), Double.doubleToLongBits(GeluTanh64.scale(c[0], 1)), "GELU'(" + c[0] + ")");
            if (!Double.isFinite(c[0]) || Float.isFinite((float) c[0])) { // where it is a float too
                assertEquals(Float.floatToIntBits((float) c[1]), Float.floatToIntBits(GeluTanh32.gelu((float) c[0])), "float GELU(" + c[0] + ")");
                assertEquals(Float.floatToIntBits((float) c[2]), Float.floatToIntBits(GeluTanh32.scale((float) c[0], 1)), "float GELU'(" + c[0] + ")");
            }
        }
        double[] x = new double[cases.length * 3], y = new double[x.length], s = new double[x.length], ones = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = cases[i % cases.length][0];
            ones[i] = 1;
        }
        viaVectors64(x, 0, y, 0, x.length);
        scaleViaVectors64(x, ones, s);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToLongBits(GeluTanh64.gelu(x[i])), Double.doubleToLongBits(y[i]), "the vectors at " + x[i]);
            assertEquals(Double.doubleToLongBits(GeluTanh64.scale(x[i], 1)), Double.doubleToLongBits(s[i]), "the slope's vectors at " + x[i]);
        }
    }

    /**
     * The vector loops, the kernels' passes (through their {@link VectorStart}s) and the twins give the same bits, in both
     * dtypes, at every length around the vectors, and write nothing outside their range; float32 within 1e-10 of the
     * float64 kernel before its rounding, the same float but within that of a tie, the derivative within that of its
     * terms (about 1 where they cancel).
     */
    @Test
    void vectorsAreTheScalarTwinsAtEveryLengthAndFloat32TheFloat64KernelsFloats() {
        SplittableRandom rng = new SplittableRandom(5);
        int differ = 0, floats = 0;
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 16}) {
            double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng);
            float[] xf = Logistic32Test.inputs(n, rng), gf = Logistic32Test.inputs(n, rng);
            for (int i = 0; i < n; i++) {
                g[i] = Double.isFinite(g[i]) ? g[i] % 8 : g[i];
                gf[i] = Float.isFinite(gf[i]) ? gf[i] % 8 : gf[i];
                if (i % 3 == 0) xf[i] = (float) rng.nextDouble(-12, 6); // the bend and the tail into the flushed floats
            }
            double[] y = new double[n + 2], yPass = new double[n + 2], s = new double[n], sPass = new double[n + 2];
            float[] yf = new float[n + 2], yfPass = new float[n + 2], sf = new float[n], sfPass = new float[n + 2];
            viaVectors64(x, 0, y, 1, n);
            Float64Kernel.GELU_TANH.forward(new double[0], x, 0, yPass, 1, n);
            scaleViaVectors64(x, g, s);
            Float64Kernel.GELU_TANH.scale(new double[0], x, 0, null, 0, g, 0, sPass, 1, n);
            viaVectors32(xf, 0, yf, 1, n);
            Float32Kernel.GELU_TANH.forward(new double[0], xf, 0, yfPass, 1, n);
            scaleViaVectors32(xf, gf, sf);
            Float32Kernel.GELU_TANH.scale(new double[0], xf, 0, null, 0, gf, 0, sfPass, 1, n);
            for (int i = 0; i < n; i++) {
                String at = " n=" + n + " x=" + x[i];
                long twin = Double.doubleToLongBits(GeluTanh64.gelu(x[i])), slope = Double.doubleToLongBits(GeluTanh64.scale(x[i], g[i]));
                assertEquals(twin, Double.doubleToLongBits(y[i + 1]), "the twin" + at);
                assertEquals(twin, Double.doubleToLongBits(yPass[i + 1]), "the pass" + at);
                assertEquals(slope, Double.doubleToLongBits(s[i]), "the slope's twin" + at);
                assertEquals(slope, Double.doubleToLongBits(sPass[i + 1]), "the slope's pass" + at);
                at = " n=" + n + " x=" + xf[i] + " g=" + gf[i];
                float f = GeluTanh32.gelu(xf[i]), fs = GeluTanh32.scale(xf[i], gf[i]);
                assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(yf[i + 1]), "the float twin" + at);
                assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(yfPass[i + 1]), "the float pass" + at);
                assertEquals(Float.floatToIntBits(fs), Float.floatToIntBits(sf[i]), "the float slope's twin" + at);
                assertEquals(Float.floatToIntBits(fs), Float.floatToIntBits(sfPass[i + 1]), "the float slope's pass" + at);
                assertTrue(!(Math.abs(f) < Float.MIN_NORMAL && f != 0) && !(Math.abs(fs) < Float.MIN_NORMAL && fs != 0), "no subnormal" + at);
                double exact = GeluTanh64.gelu(xf[i]), exactSlope = GeluTanh64.scale(xf[i], 1);
                float rounded = FlushToZero.toFloat(exact), roundedScale = FlushToZero.toFloat(gf[i] * exactSlope);
                if (Float.isNaN(rounded)) assertTrue(Float.isNaN(f), "NaN" + at);
                else if (f != rounded) {
                    differ++;
                    assertTrue(Math.abs(exact - ((double) f + rounded) / 2) <= 1e-10 * Math.abs(exact), "a tie" + at + ": " + f + " " + exact);
                }
                if (Float.isNaN(roundedScale)) assertTrue(Float.isNaN(fs), "NaN" + at);
                else assertEquals(roundedScale, fs, Math.ulp(roundedScale) + 1e-10 * Math.abs(gf[i]), "the float slope" + at);
                floats++;
            }
            for (int end : new int[] {0, n + 1}) {
                assertEquals(0, y[end] + yPass[end] + sPass[end] + yf[end] + yfPass[end] + sfPass[end], "nothing written outside the range");
            }
        }
        assertTrue(differ < floats / 1000, "float32 the float64 kernel's floats but at " + differ + " of " + floats);
    }

    /**
     * The formula entry by entry, 0.5 x (1 + tanh(u)) and its derivative read from y, from x = -3 up, where 1 + tanh(u)
     * loses at most nine bits (below, it loses all of them by x = -7.6): within 1e-12 relative in float64, the same
     * float but near a tie in float32; the slope the forward pass's by central differences.
     */
    @Test
    void thePyTorchFormulaWhereItKeepsItsDigitsAndTheForwardPasssSlope() {
        assertEquals(Float32Kernel.GELU_TANH, FUNCTION.float32Kernel());
        assertEquals(Float64Kernel.GELU_TANH, FUNCTION.float64Kernel());
        SplittableRandom rng = new SplittableRandom(9);
        int same = 0, n = 20_000;
        for (int i = 0; i < n; i++) {
            double x = rng.nextDouble(-3, 8), g = rng.nextDouble(-2, 2);
            double formula = FUNCTION.apply(x), slope = g * FUNCTION.derivative(x, formula);
            assertEquals(formula, GeluTanh64.gelu(x), 1e-12 * Math.abs(formula), "GELU(" + x + ")");
            assertEquals(slope, GeluTanh64.scale(x, g), 1e-12 * Math.abs(g) + 1e-12 * Math.abs(slope), "in GELU'(" + x + ")");
            float xf = (float) x;
            if (GeluTanh32.gelu(xf) == (float) FUNCTION.apply(xf)) same++;
        }
        assertTrue(same > 0.999 * n, "float32 the formula's float at " + same + " of " + n);
        double h = 1e-6;
        for (double x = -25; x <= 25; x += 0.0625 + 1e-3) {
            double slope = (GeluTanh64.gelu(x + h) - GeluTanh64.gelu(x - h)) / (2 * h);
            assertEquals(slope, GeluTanh64.scale(x, 1), 1e-9 * Math.max(1, Math.abs(GeluTanh64.gelu(x))), "GELU'(" + x + ")");
        }
    }
}
