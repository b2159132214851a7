package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Activation;
import dev.ravine.nn.MlpSpec;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LeakyReLU's own kernels: both passes the float64 path's bits (in float32 the activation in double, rounded once), their
 * vectors the same bits as their scalar twins at every length around the vectors, signed zeros and NaNs included; at
 * PyTorch's default slope and at a model spec's other one, which the kernels are given.
 */
class LeakyReluTest {
    /** out = v where x &gt; 0, else slope v, by the vector loop wherever it can go (four double lanes or more). */
    static void viaVectors(double slope, float[] x, float[] v, float[] out) {
        int n = x.length, lanes = DoubleVector.SPECIES_PREFERRED.length(), i = lanes >= 4 ? LeakyRelu.vectors(slope, x, 0, v, 0, out, 0, n - n % lanes) : 0;
        for (; i < n; i++) out[i] = LeakyRelu.scale(slope, x[i], v[i]);
    }

    /** The same in float64, n entries from x's and v's entry {@code xo}. */
    static void viaVectors(double slope, double[] x, int xo, double[] v, double[] out, int oo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length(), i = lanes >= 4 ? LeakyRelu.vectors64(slope, x, xo, v, xo, out, oo, n - n % lanes) : 0;
        for (; i < n; i++) out[oo + i] = LeakyRelu.scale(slope, x[xo + i], v[xo + i]);
    }

    /** The activation at PyTorch's default slope, and with a model spec's negative_slope. */
    static Stream<Pointwise> slopes() {
        return Stream.of(Activation.LEAKY_RELU, MlpSpec.parse("mlp:1:leaky_relu:negative_slope=0.2").activation().function());
    }

    @ParameterizedTest
    @MethodSource("slopes")
    void float64IsTheFloat64PathsBits(Pointwise a) {
        SplittableRandom rng = new SplittableRandom(7);
        double slope = a.parameters()[0];
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 16}) {
            double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng), y = new double[n], gx = new double[n];
            double[] applied = new double[n + 2], scaled = new double[n + 2];
            viaVectors(slope, x, 0, x, y, 0, n);
            viaVectors(slope, x, 0, g, gx, 0, n);
            LeakyRelu.apply(new VectorStart(), slope, x, 0, applied, 1, n);
            LeakyRelu.scale(new VectorStart(), slope, x, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                String at = "n=" + n + " x=" + x[i] + " g=" + g[i];
                assertEquals(Double.doubleToLongBits(a.apply(x[i])), Double.doubleToLongBits(y[i]), "forward at " + at);
                assertEquals(Double.doubleToLongBits(g[i] * a.derivative(x[i], y[i])), Double.doubleToLongBits(gx[i]), "backward at " + at);
                assertEquals(Double.doubleToLongBits(y[i]), Double.doubleToLongBits(applied[i + 1]), "apply at " + at);
                assertEquals(Double.doubleToLongBits(gx[i]), Double.doubleToLongBits(scaled[i + 1]), "scale at " + at);
            }
            assertEquals(0, applied[n + 1], "nothing written past the end");
            assertEquals(0, scaled[n + 1], "nothing written past the end");
        }
    }

    @ParameterizedTest
    @MethodSource("slopes")
    void theFloat64PathsBitsAndTheScalarTwins(Pointwise a) {
        SplittableRandom rng = new SplittableRandom(6);
        double slope = a.parameters()[0];
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 16}) {
            float[] x = Logistic32Test.inputs(n, rng), g = Logistic32Test.inputs(n, rng), y = new float[n], gx = new float[n];
            float[] applied = new float[n + 2], scaled = new float[n + 2];
            viaVectors(slope, x, x, y);
            viaVectors(slope, x, g, gx);
            LeakyRelu.apply(new VectorStart(), slope, x, 0, applied, 1, n);
            LeakyRelu.scale(new VectorStart(), slope, x, 0, g, 0, scaled, 1, n);
            for (int i = 0; i < n; i++) {
                String at = "n=" + n + " x=" + x[i] + " g=" + g[i];
                // floatToIntBits: every NaN as one, since the hardware picks a NaN's sign by the order of an operation's operands
                assertEquals(Float.floatToIntBits((float) a.apply(x[i])), Float.floatToIntBits(y[i]), "forward at " + at);
                assertEquals(Float.floatToIntBits((float) (g[i] * a.derivative(x[i], y[i]))), Float.floatToIntBits(gx[i]), "backward at " + at);
                assertEquals(Float.floatToIntBits(LeakyRelu.scale(slope, x[i], x[i])), Float.floatToIntBits(applied[i + 1]), "apply at " + at);
                assertEquals(Float.floatToIntBits(LeakyRelu.scale(slope, x[i], g[i])), Float.floatToIntBits(scaled[i + 1]), "scale at " + at);
            }
            assertEquals(0f, applied[n + 1], "nothing written past the end");
            assertEquals(0f, scaled[n + 1], "nothing written past the end");
        }
    }
}
