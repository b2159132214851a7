package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Activation;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** SiLU's backward kernels: the float64 path's bits for every entry, by the vectors, the twin and {@code scale}, in both dtypes. */
class SiluSlope32Test {
    /** out = in SiLU'(x) given y by the vector loop wherever it can go (four double lanes or more). */
    static void viaVectors(float[] x, float[] y, float[] in, float[] out) {
        int n = x.length, lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? SiluSlope32.vectors(x, 0, y, 0, in, 0, out, 0, n - n % lanes) : 0;
        for (; i < n; i++) out[i] = SiluSlope32.scale(x[i], y[i], in[i]);
    }

    @Test
    void theFloat64PathsBits() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int n : new int[] {1, 3, 4, 5, 8, 9, 17, 33, 100, 1 << 16}) {
            float[] x = Logistic32Test.inputs(n, rng), g = Logistic32Test.inputs(n, rng), y = new float[n];
            for (int i = 0; i < n; i++) y[i] = Logistic32.silu(x[i]);
            float[] vectors = new float[n], scaled = new float[n + 2];
            viaVectors(x, y, g, vectors);
            SiluSlope32.scale(x, 0, y, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                float expected = (float) (g[i] * Activation.SILU.derivative(x[i], y[i]));
                String at = "n=" + n + " x=" + x[i] + " y=" + y[i] + " in=" + g[i];
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(SiluSlope32.scale(x[i], y[i], g[i])), "the twin, " + at);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(vectors[i]), "the vectors, " + at);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(scaled[i + 1]), "scale, " + at);
            }
            assertEquals(0f, scaled[0]);
            assertEquals(0f, scaled[n + 1], "nothing written past the end");
        }
    }

    /** out = in SiLU'(x) given y in float64 by the vector loop wherever it can go (four double lanes or more). */
    static void viaVectors(double[] x, double[] y, double[] in, double[] out) {
        int n = x.length, lanes = DoubleVector.SPECIES_PREFERRED.length();
        int i = lanes >= 4 ? SiluSlope64.vectors(x, 0, y, 0, in, 0, out, 0, n - n % lanes) : 0;
        for (; i < n; i++) out[i] = SiluSlope64.scale(x[i], y[i], in[i]);
    }

    @Test
    void float64IsTheFloat64PathsBits() {
        SplittableRandom rng = new SplittableRandom(10);
        for (int n : new int[] {1, 3, 4, 5, 8, 9, 17, 33, 100, 1 << 16}) {
            double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng), y = new double[n];
            for (int i = 0; i < n; i++) y[i] = Logistic64.silu(x[i]);
            double[] vectors = new double[n], scaled = new double[n + 2];
            viaVectors(x, y, g, vectors);
            SiluSlope64.scale(new VectorStart(), x, 0, y, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                double expected = g[i] * Activation.SILU.derivative(x[i], y[i]);
                String at = "n=" + n + " x=" + x[i] + " y=" + y[i] + " in=" + g[i];
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(SiluSlope64.scale(x[i], y[i], g[i])), "the twin, " + at);
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(vectors[i]), "the vectors, " + at);
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(scaled[i + 1]), "scale, " + at);
            }
            assertEquals(0, scaled[0]);
            assertEquals(0, scaled[n + 1], "nothing written past the end");
        }
    }
}
