package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.nn.Activation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * GELU's float64 kernel: within 4 ulps of the exact value (mpmath's, {@code src/test/resources/golden/generate.py
 * activations64}) down into its subnormal tail, where PyTorch's form 1 + erf loses its digits; its derivative the
 * float64 path's to a few ulps and the finite differences of its own forward pass; PyTorch's form's signed zeros,
 * infinities and NaNs; the vectors the same bits as the scalar twins at every length around them.
 */
class Gelu64Test {
    /** GELU over n doubles by the vector loop wherever it can go (four double lanes or more). */
    static void viaVectors(double[] x, int xo, double[] y, int yo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? Gelu64.vectors(false, x, xo, null, 0, null, 0, y, yo, n - n % lanes) : 0;
        for (; i < n; i++) y[yo + i] = Gelu64.gelu(x[xo + i]);
    }

    /** out = in GELU'(x) given y by the derivative's vector loop wherever it can go. */
    static void scaleViaVectors(double[] x, double[] y, double[] in, double[] out, int oo) {
        int n = x.length, lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? Gelu64.vectors(true, x, 0, y, 0, in, 0, out, oo, n - n % lanes) : 0;
        for (; i < n; i++) out[oo + i] = Gelu64.scale(x[i], y[i], in[i]);
    }

    @Test
    void withinFourUlpsOfTheExactValue() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/activations64.json").toFile());
        int n = golden.get("x").size(), tail = 0, lost = 0;
        double[] x = new double[n], vectors = new double[n];
        for (int i = 0; i < n; i++) x[i] = golden.get("x").get(i).asDouble();
        viaVectors(x, 0, vectors, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal exact = new BigDecimal(golden.get("gelu").get(i).asText());
            double ours = Gelu64.gelu(x[i]), nearest = exact.doubleValue();
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), "the vectors at x=" + x[i]);
            // in ulps of the exact value, the least subnormal's where it is subnormal or 0
            double ulps = new BigDecimal(ours).subtract(exact).abs().doubleValue() / Math.ulp(nearest);
            assertTrue(ulps <= 4, "GELU(" + x[i] + ") = " + ours + ", exactly " + exact + ": " + ulps + " ulps");
            worst = Math.max(worst, ulps);
            if (x[i] < -3 && Math.abs(nearest) >= Double.MIN_NORMAL) {
                tail++;
                double torch = Activation.GELU.apply(x[i]); // x (1 + erf(x / sqrt 2)) / 2
                if (new BigDecimal(torch).subtract(exact).abs().doubleValue() > 100 * Math.ulp(nearest)) lost++;
            }
        }
        assertTrue(worst > 1, "the golden inputs reach the Horner sum's own rounding: " + worst);
        assertTrue(tail > 200 && lost > 0.9 * tail, "PyTorch's form lost its digits below -3 at " + lost + " of " + tail);
    }

    @Test
    void signedZerosInfinitiesAndNaNsAsPyTorchsForm() {
        double[][] cases = {{0, 0}, {-0.0, -0.0}, {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                {Double.NEGATIVE_INFINITY, Double.NaN}, {Double.NaN, Double.NaN}, {-40, -0.0}, {-1e300, -0.0}, {40, 40}, {1e300, 1e300}};
        double[] x = new double[cases.length * 3], y = new double[x.length];
        for (int i = 0; i < x.length; i++) x[i] = cases[i % cases.length][0];
        viaVectors(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double expected = cases[i % cases.length][1];
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(y[i]), "GELU(" + x[i] + ")");
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(Gelu64.gelu(x[i])), "the twin at " + x[i]);
        }
    }

    @Test
    void vectorsAreTheScalarTwinAtEveryLength() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 16}) {
            double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng), vectors = new double[n + 2],
                    applied = new double[n + 2], y = new double[n], slopes = new double[n + 2], scaled = new double[n + 2];
            for (int i = 0; i < n; i++) g[i] = Double.isFinite(g[i]) ? g[i] % 8 : g[i];
            viaVectors(x, 0, vectors, 1, n);
            Gelu64.apply(new VectorStart(), x, 0, applied, 1, n);
            System.arraycopy(vectors, 1, y, 0, n);
            scaleViaVectors(x, y, g, slopes, 1);
            Gelu64.scale(new VectorStart(), x, 0, y, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                String at = "n=" + n + " x=" + x[i];
                assertEquals(Double.doubleToLongBits(Gelu64.gelu(x[i])), Double.doubleToLongBits(vectors[i + 1]), "the twin at " + at);
                assertEquals(Double.doubleToLongBits(vectors[i + 1]), Double.doubleToLongBits(applied[i + 1]), "apply at " + at);
                double twin = Gelu64.scale(x[i], y[i], g[i]);
                assertEquals(Double.doubleToLongBits(twin), Double.doubleToLongBits(slopes[i + 1]), "the derivative's twin at " + at);
                assertEquals(Double.doubleToLongBits(twin), Double.doubleToLongBits(scaled[i + 1]), "scale at " + at);
            }
            for (double[] out : new double[][] {vectors, applied, slopes, scaled}) {
                assertEquals(0, out[0], "nothing written before the start");
                assertEquals(0, out[n + 1], "nothing written past the end");
            }
        }
    }

    /**
     * in GELU'(x): the float64 path's Phi + x phi to a few ulps of the terms and the rounding of x^2 / 2, Math's exp's
     * argument (our exponential takes that rounding along), and the forward pass's central differences.
     */
    @Test
    void derivativeIsTheFloat64PathsAndTheForwardPasssSlope() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double x = i % 2 == 0 ? rng.nextDouble(-10, 10) : rng.nextDouble(-40, 6), g = rng.nextDouble(-2, 2);
            double y = Gelu64.gelu(x), ours = Gelu64.scale(x, y, g), path = g * Activation.GELU.derivative(x, y);
            double terms = Math.abs(g) * (Math.abs(y / x) + Math.abs(x) * 0.4 * Math.exp(-0.5 * x * x)); // Phi and x phi cancel below 0
            assertEquals(path, ours, (8 + x * x) * Math.ulp(terms) + Double.MIN_NORMAL, "in GELU'(" + x + ")");
        }
        double h = 1e-6;
        for (double x = -8; x <= 8; x += 0.0625 + 1e-3) {
            double slope = (Gelu64.gelu(x + h) - Gelu64.gelu(x - h)) / (2 * h);
            assertEquals(slope, Gelu64.scale(x, Gelu64.gelu(x), 1), 1e-9, "GELU'(" + x + ")");
        }
    }
}
