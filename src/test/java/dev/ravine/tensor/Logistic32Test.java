package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * float32 tanh's, sigmoid's and SiLU's own kernels: within an ulp of Math's functions in double rounded to float (SiLU
 * two) over their whole range and at the special values, their vectors the same bits as their scalar twins at every length
 * around the vectors (whatever the JIT made of either). (What all the float32 kernels share: {@link Float32KernelTest}.)
 */
class Logistic32Test {
    static float[] inputs(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = switch (i % 5) {
                case 0 -> (float) ((rng.nextDouble() * 2 - 1) * 0.7); // around tanh's polynomial's end, 0.625
                case 1 -> (float) ((rng.nextDouble() * 2 - 1) * 12);
                case 2 -> (float) ((rng.nextDouble() * 2 - 1) * 1e-3);
                case 3 -> (float) -(80 + rng.nextDouble() * 35); // the sigmoid's and SiLU's tails into the subnormals and to 0
                default -> Float.intBitsToFloat(rng.nextInt()); // every exponent, infinities and NaNs among them
            };
        float[] special = {0f, -0f, 0.625f, -0.625f, Math.nextDown(0.625f), 10f, -10f, 9.5f, 52f, -52f, -87.3f, -88.8f, -103.3f,
                -103.9f, -104f, -104.5f, -108.5f, -111.9f, -112.5f, 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL};
        System.arraycopy(special, 0, x, 0, Math.min(n, special.length));
        return x;
    }

    static float scalar(Float32Kernel f, float x) {
        return switch (f) {
            case TANH -> Logistic32.tanh(x);
            case SIGMOID -> Logistic32.sigmoid(x);
            case SILU -> Logistic32.silu(x);
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /** What the activations compute in double (SiLU as {@code Activation.SILU} does). */
    static double reference(Float32Kernel f, double x) {
        return switch (f) {
            case TANH -> Squash.TANH.apply(x);
            case SIGMOID -> Squash.SIGMOID.apply(x);
            case SILU -> x * Squash.SIGMOID.apply(x);
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /** f over n entries by the vector loop wherever it can go (four lanes or more), however far {@code apply}'s probes have got. */
    static void viaVectors(Float32Kernel f, float[] x, int xo, float[] y, int yo, int n) {
        int lanes = FloatVector.SPECIES_PREFERRED.length(), i = lanes >= 4 ? Logistic32.vectors(f, x, xo, y, yo, n - n % lanes) : 0;
        for (; i < n; i++) y[yo + i] = scalar(f, x[xo + i]);
    }

    @ParameterizedTest
    @EnumSource(value = Float32Kernel.class, names = {"TANH", "SIGMOID", "SILU"})
    void withinAnUlpOfMathsAndTheVectorsAreTheScalarTwin(Float32Kernel f) {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 3, 4, 5, 15, 16, 17, 31, 33, 100, 1 << 18}) {
            float[] x = inputs(n, rng), vectors = new float[n + 2], applied = new float[n + 2];
            viaVectors(f, x, 0, vectors, 1, n);
            Logistic32.apply(f, x, 0, applied, 1, n);
            for (int i = 0; i < n; i++) {
                float math = (float) reference(f, x[i]), ours = vectors[i + 1];
                // floatToIntBits: every NaN as one, since the hardware picks a NaN's sign by the order of an operation's operands
                assertEquals(Float.floatToIntBits(scalar(f, x[i])), Float.floatToIntBits(ours), f + " n=" + n + " the scalar twin at x=" + x[i]);
                assertEquals(Float.floatToIntBits(ours), Float.floatToIntBits(applied[i + 1]), f + " n=" + n + " apply at x=" + x[i]);
                if (Float.isNaN(math)) {
                    assertTrue(Float.isNaN(ours), "NaN at " + i);
                    continue;
                }
                // SiLU's x e carries e's own error (0.7 ulp) whole: within 1.5 ulps of the exact value but for 2 of 8.7 million
                // inputs sampled over all floats, so within two of Math's rounded to float
                assertEquals(math, ours, (f == Float32Kernel.SILU ? 2 : 1) * Math.ulp(math), f + " n=" + n + " x=" + x[i]);
                assertEquals(Math.copySign(1f, math), Math.copySign(1f, ours), f + " the sign at x=" + x[i]);
            }
            for (float[] y : new float[][] {vectors, applied}) {
                assertEquals(0f, y[0]);
                assertEquals(0f, y[n + 1], "nothing written past the end");
            }
        }
    }
}
