package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.nn.Activation;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * float32 GELU's own kernel: within half an ulp and a thousandth of the exact value (mpmath's, {@code
 * src/test/resources/golden/generate.py gelu}) over its whole range, the negative tail included; within an ulp of the
 * float64 path's where that one is exact to float; its derivative within an ulp of the float64 path's; the vectors the
 * same bits as the scalar twins at every length around the vectors.
 */
class Gelu32Test {
    /** GELU over n entries by the vector loop wherever it can go (four double lanes or more). */
    static void viaVectors(float[] x, int xo, float[] y, int yo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length(), i = lanes >= 4 ? Gelu32.forward(x, xo, y, yo, n - n % lanes) : 0;
        for (; i < n; i++) y[yo + i] = Gelu32.gelu(x[xo + i]);
    }

    /** out = in GELU'(x) given y by the derivative's vector loop wherever it can go. */
    static void scaleViaVectors(float[] x, float[] y, float[] in, float[] out) {
        int n = x.length, lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? Gelu32.derivative(x, 0, y, 0, in, 0, out, 0, n - n % lanes) : 0;
        for (; i < n; i++) out[i] = Gelu32.scale(x[i], y[i], in[i]);
    }

    /**
     * The largest distance from the exact value in ulps of the exact value rounded to float, over the golden inputs; +-0
     * where the exact value is under the least normal float ({@link FlushToZero}), a sixth of the golden tail's inputs.
     */
    @Test
    void withinHalfAnUlpOfTheExactValue() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/gelu.json").toFile());
        int n = golden.get("x").size();
        float[] x = new float[n], vectors = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) golden.get("x").get(i).asDouble();
        viaVectors(x, 0, vectors, 0, n);
        double worst = 0;
        int flushed = 0;
        for (int i = 0; i < n; i++) {
            double exact = golden.get("gelu").get(i).asDouble();
            float ours = Gelu32.gelu(x[i]);
            assertEquals(Float.floatToIntBits(ours), Float.floatToIntBits(vectors[i]), "the vectors at x=" + x[i]);
            if (Math.abs(exact) < Float.MIN_NORMAL) {
                assertEquals(Float.floatToIntBits(Math.copySign(0f, x[i])), Float.floatToIntBits(ours), "flushed at x=" + x[i]);
                flushed++;
                continue;
            }
            double ulps = Math.abs(ours - exact) / Math.ulp((float) exact);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 0.501, "GELU(" + x[i] + ") = " + ours + ", exactly " + exact + ": " + ulps + " ulps");
        }
        assertTrue(worst > 0.3, "the golden inputs reach rounding's own half ulp: " + worst);
        assertTrue(flushed > 50, "the golden inputs reach the flushed tail: " + flushed);
    }

    static float[] inputs(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = switch (i % 4) {
                case 0 -> (float) ((rng.nextDouble() * 2 - 1) * 8);
                case 1 -> (float) (rng.nextDouble() * -16); // the negative tail, to the underflow past -14.36 and the cap at -14.5
                case 2 -> (float) ((rng.nextDouble() * 2 - 1) * 1e-3);
                default -> Float.intBitsToFloat(rng.nextInt()); // every exponent, infinities and NaNs among them
            };
        float[] special = {0f, -0f, 14.5f, -14.5f, Math.nextDown(-14.5f), 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, x, 0, Math.min(n, special.length));
        return x;
    }

    /**
     * Against the float64 path (the activation's own GELU in double, rounded): within an ulp where that one is exact to
     * float (from -5 up; below, its 1 + erf loses the tail), the same infinities, NaNs and signed zeros; the
     * derivative, which both take from y / x and an exponential, within an ulp everywhere; the vector loops, apply
     * and scale the same bits as the scalar twins at every length around the vectors.
     */
    @Test
    void theFloat64PathsValuesAndTheScalarTwins() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 18}) {
            float[] x = inputs(n, rng), g = inputs(n, rng), vectors = new float[n + 2], applied = new float[n + 2];
            viaVectors(x, 0, vectors, 1, n);
            Gelu32.apply(x, 0, applied, 1, n);
            float[] y = new float[n], scaledVectors = new float[n], scaled = new float[n + 2];
            System.arraycopy(vectors, 1, y, 0, n);
            scaleViaVectors(x, y, g, scaledVectors);
            Gelu32.scale(x, 0, y, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                float ours = vectors[i + 1], math = (float) Activation.GELU.apply(x[i]);
                String at = " n=" + n + " x=" + x[i];
                assertEquals(Float.floatToIntBits(Gelu32.gelu(x[i])), Float.floatToIntBits(ours), "the scalar twin" + at);
                assertEquals(Float.floatToIntBits(ours), Float.floatToIntBits(applied[i + 1]), "apply" + at);
                float gradient = Gelu32.scale(x[i], y[i], g[i]);
                assertEquals(Float.floatToIntBits(gradient), Float.floatToIntBits(scaledVectors[i]), "the derivative's twin" + at);
                assertEquals(Float.floatToIntBits(gradient), Float.floatToIntBits(scaled[i + 1]), "scale" + at);
                if (Float.isNaN(math)) assertTrue(Float.isNaN(ours), "NaN" + at);
                else if (x[i] >= -5) {
                    assertEquals(Math.abs(math) < Float.MIN_NORMAL ? 0 : math, ours, Math.ulp(math), at); // +-0 under the least normal
                    assertEquals(Math.copySign(1f, math), Math.copySign(1f, ours), "the sign" + at);
                }
                float mathGradient = (float) (g[i] * Activation.GELU.derivative(x[i], y[i]));
                if (Float.isNaN(mathGradient)) assertTrue(Float.isNaN(gradient), "a NaN gradient" + at);
                else if (Math.abs(mathGradient) < 2 * Float.MIN_NORMAL) { // flushed to 0 under the least normal float, ours or both
                    assertEquals(mathGradient, gradient, Float.MIN_NORMAL, "the gradient" + at + " g=" + g[i]);
                    assertTrue(gradient == 0 || Math.abs(gradient) >= Float.MIN_NORMAL, "no subnormal" + at);
                } else assertEquals(mathGradient, gradient, Math.ulp(mathGradient), "the gradient" + at + " g=" + g[i]);
            }
            for (float[] out : new float[][] {vectors, applied, scaled}) {
                assertEquals(0f, out[0]);
                assertEquals(0f, out[n + 1], "nothing written past the end");
            }
        }
        assertEquals(Float.POSITIVE_INFINITY, Gelu32.gelu(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Gelu32.gelu(Float.NEGATIVE_INFINITY)), "GELU(-inf) is NaN, as in double");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu32.gelu(-0f)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu32.gelu(-14.4f)), "the tail underflows to -0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu32.gelu(-13.2f)), "under the least normal float, -0");
        assertTrue(Gelu32.gelu(-13.1f) <= -Float.MIN_NORMAL, "and not sooner");
    }
}
