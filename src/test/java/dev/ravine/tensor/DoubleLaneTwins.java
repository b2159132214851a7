package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.DoubleVector;

/**
 * What the tests of the kernels that take both passes from x alone, in double lanes for either dtype (Softplus, SELU,
 * Mish), share: their loops run over a test's arrays, the golden values, and the check that the loops, the kernels'
 * passes and the scalar twins give the same bits at every length around the vectors.
 */
final class DoubleLaneTwins {
    /** A kernel's loop: out = f(x), or with {@code slope} out = in f'(x), over the float arrays or else the double ones. */
    interface Loop {
        int run(boolean slope, float[] xf, float[] inF, float[] outF, double[] xd, double[] inD, double[] outD, int xo, int io, int oo,
                int whole);
    }

    private static JsonNode golden;

    private DoubleLaneTwins() {
    }

    /**
     * out = f(x), or in f'(x) with {@code slope}, for n doubles from x's and in's entry {@code xo} by the loop wherever it can
     * go (four double lanes or more).
     */
    static void viaVectors(Loop loop, boolean slope, DoubleUnaryOperator f, DoubleBinaryOperator scale, double[] x, int xo, double[] in,
                           double[] out, int oo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? loop.run(slope, null, null, null, x, in, out, xo, xo, oo, n - n % lanes) : 0;
        for (; i < n; i++) out[oo + i] = slope ? scale.applyAsDouble(x[xo + i], in[xo + i]) : f.applyAsDouble(x[xo + i]);
    }

    /** The same for n floats, the twins' doubles rounded once. */
    static void viaVectors(Loop loop, boolean slope, DoubleUnaryOperator f, DoubleBinaryOperator scale, float[] x, int xo, float[] in,
                           float[] out, int oo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? loop.run(slope, x, in, out, null, null, null, xo, xo, oo, n - n % lanes) : 0;
        for (; i < n; i++) out[oo + i] = (float) (slope ? scale.applyAsDouble(x[xo + i], in[xo + i]) : f.applyAsDouble(x[xo + i]));
    }

    /** The golden inputs ({@code src/test/resources/golden/generate.py activations64}). */
    static double[] goldenInputs() throws IOException {
        JsonNode x = golden().get("x");
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = x.get(i).asDouble();
        return out;
    }

    /** A golden column's exact values, to 25 digits. */
    static BigDecimal[] golden(String column) throws IOException {
        JsonNode c = golden().get(column);
        BigDecimal[] out = new BigDecimal[c.size()];
        for (int i = 0; i < out.length; i++) out[i] = new BigDecimal(c.get(i).asText());
        return out;
    }

    /** The golden file, read once for all the tests that take columns of it (three quarters of a megabyte). */
    private static synchronized JsonNode golden() throws IOException {
        if (golden == null) golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/activations64.json").toFile());
        return golden;
    }

    /** |ours - exact| in ulps of the exact value rounded to double, the least subnormal's where it is subnormal or 0. */
    static double ulps(double ours, BigDecimal exact) {
        // the quotient in decimal: a difference below the least subnormal would round to it as a double
        return new BigDecimal(ours).subtract(exact).abs().divide(new BigDecimal(Math.ulp(exact.doubleValue())), java.math.MathContext.DECIMAL64)
                .doubleValue();
    }

    /**
     * The loop, the kernels' passes (through their {@link VectorStart}s) and the twins give the same bits, in float32 (the
     * twins' doubles rounded once) and float64, at every length around the vectors, and write nothing outside their range.
     */
    static void vectorsAreTheTwinsAtEveryLength(Float32Kernel k32, Float64Kernel k64, double[] parameters, Loop loop, DoubleUnaryOperator f,
                                                DoubleBinaryOperator scale) {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 16}) {
            double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng);
            float[] xf = Logistic32Test.inputs(n, rng), gf = Logistic32Test.inputs(n, rng);
            for (int i = 0; i < n; i++) {
                g[i] = Double.isFinite(g[i]) ? g[i] % 8 : g[i];
                gf[i] = Float.isFinite(gf[i]) ? gf[i] % 8 : gf[i];
            }
            for (boolean slope : new boolean[] {false, true}) {
                double[] vectors = new double[n + 2], passes = new double[n + 2];
                float[] vectorsF = new float[n + 2], passesF = new float[n + 2];
                viaVectors(loop, slope, f, scale, x, 0, g, vectors, 1, n);
                viaVectors(loop, slope, f, scale, xf, 0, gf, vectorsF, 1, n);
                if (slope) {
                    k64.scale(parameters, x, 0, null, 0, g, 0, passes, 1, n);
                    k32.scale(parameters, xf, 0, null, 0, gf, 0, passesF, 1, n);
                } else {
                    k64.forward(parameters, x, 0, passes, 1, n);
                    k32.forward(parameters, xf, 0, passesF, 1, n);
                }
                for (int i = 0; i < n; i++) {
                    String at = k64 + (slope ? "'" : "") + " n=" + n + " x=" + x[i];
                    double twin = slope ? scale.applyAsDouble(x[i], g[i]) : f.applyAsDouble(x[i]);
                    assertEquals(Double.doubleToLongBits(twin), Double.doubleToLongBits(vectors[i + 1]), "the twin at " + at);
                    assertEquals(Double.doubleToLongBits(twin), Double.doubleToLongBits(passes[i + 1]), "the pass at " + at);
                    at = k32 + (slope ? "'" : "") + " n=" + n + " x=" + xf[i];
                    float twinF = (float) (slope ? scale.applyAsDouble(xf[i], gf[i]) : f.applyAsDouble(xf[i]));
                    assertEquals(Float.floatToIntBits(twinF), Float.floatToIntBits(vectorsF[i + 1]), "the twin at " + at);
                    assertEquals(Float.floatToIntBits(twinF), Float.floatToIntBits(passesF[i + 1]), "the pass at " + at);
                }
                for (int end : new int[] {0, n + 1}) {
                    assertEquals(0, vectors[end], "nothing written outside the range");
                    assertEquals(0, passes[end], "nothing written outside the range");
                    assertEquals(0f, vectorsF[end], "nothing written outside the range");
                    assertEquals(0f, passesF[end], "nothing written outside the range");
                }
            }
        }
    }
}
