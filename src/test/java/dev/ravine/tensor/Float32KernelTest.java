package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the float32 kernels ({@link Logistic32}, {@link Gelu32}, {@link SiluSlope32}, {@link Elu}, {@link LeakyRelu},
 * {@link Softplus}, {@link Mish}, {@link GeluTanh32}) share: which activations take them, and the passes of such an
 * activation the same bits on one thread and two. (In child JVMs: {@link TwinKernelsTest}.)
 */
class Float32KernelTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    /** f's scalar twin. */
    static float scalar(Float32Kernel f, float x) {
        return switch (f) {
            case GELU -> Gelu32.gelu(x);
            case ELU -> Elu.elu(1, Elu.ALPHA, x);
            case LEAKY_RELU -> LeakyRelu.scale(LeakyRelu.SLOPE, x, x);
            case SOFTPLUS -> SoftplusTest.softplus(x);
            case SELU -> EluTest.selu(x);
            case MISH -> Mish.mish(x);
            case GELU_TANH -> GeluTanh32.gelu(x);
            default -> Logistic32Test.scalar(f, x);
        };
    }

    /** in f'(x) given y by f's twin, where its derivative has a kernel whose bits differ from the float64 path's, else null. */
    static Float scalarScale(Float32Kernel f, float x, float y, float in) {
        return switch (f) {
            case GELU -> Gelu32.scale(x, y, in);
            case SOFTPLUS -> SoftplusTest.scale(x, in);
            case SELU -> Elu.seluScale(x, in);
            case MISH -> Mish.scale(x, in);
            case GELU_TANH -> GeluTanh32.scale(x, in);
            default -> null;
        };
    }

    /** f over all of x by its vector loop wherever it can go, however far the probes have got. */
    static void viaVectors(Float32Kernel f, float[] x, float[] y) {
        switch (f) {
            case GELU -> Gelu32Test.viaVectors(x, 0, y, 0, x.length);
            case ELU -> EluTest.viaVectors(Elu.ALPHA, x, 0, y, 0, x.length);
            case LEAKY_RELU -> LeakyReluTest.viaVectors(LeakyRelu.SLOPE, x, x, y);
            case SOFTPLUS -> DoubleLaneTwins.viaVectors(SoftplusTest.LOOP, false, SoftplusTest::softplus, SoftplusTest::scale, x, 0, null, y, 0, x.length);
            case SELU -> DoubleLaneTwins.viaVectors(EluTest.SELU, false, EluTest::selu, Elu::seluScale, x, 0, null, y, 0, x.length);
            case MISH -> DoubleLaneTwins.viaVectors(MishTest.LOOP, false, Mish::mish, Mish::scale, x, 0, null, y, 0, x.length);
            case GELU_TANH -> GeluTanhTest.viaVectors32(x, 0, y, 0, x.length);
            default -> Logistic32Test.viaVectors(f, x, 0, y, 0, x.length);
        }
    }

    /** tanh and the sigmoid by being squashing functions, the others by name. */
    @Test
    void whichActivationsTakeTheKernels() {
        for (Activation a : Activation.values()) {
            Float32Kernel expected = switch (a) {
                case TANH -> Float32Kernel.TANH;
                case SIGMOID -> Float32Kernel.SIGMOID;
                case SILU -> Float32Kernel.SILU;
                case GELU -> Float32Kernel.GELU;
                case ELU -> Float32Kernel.ELU;
                case LEAKY_RELU -> Float32Kernel.LEAKY_RELU;
                case SOFTPLUS -> Float32Kernel.SOFTPLUS;
                case SELU -> Float32Kernel.SELU;
                case MISH -> Float32Kernel.MISH;
                default -> null;
            };
            assertEquals(expected, a.float32Kernel(), a.label);
        }
    }

    /**
     * An activation's forward pass ({@link Ops#map}) and backward pass ({@link Ops#mapScale}) through its kernels, split
     * over two threads or not; on the scalar kernels, Math's functions in double.
     */
    @ParameterizedTest
    @EnumSource(Float32Kernel.class)
    void anActivationsPassesAreTheKernelsOnAnyThreadCount(Float32Kernel f) {
        Pointwise a = switch (f) {
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case SILU -> Activation.SILU;
            case GELU -> Activation.GELU;
            case ELU -> Activation.ELU;
            case LEAKY_RELU -> Activation.LEAKY_RELU;
            case SOFTPLUS -> Activation.SOFTPLUS;
            case SELU -> Activation.SELU;
            case MISH -> Activation.MISH;
            case GELU_TANH -> GeluTanhTest.FUNCTION;
        };
        SplittableRandom rng = new SplittableRandom(4);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {7, 4_099, 300_007}) {
                Kernels.useVector(vector);
                float[] x = Logistic32Test.inputs(n, rng);
                Tensor in = tensor(x), g = tensor(Logistic32Test.inputs(n, rng));
                Tensor[] y = new Tensor[2], gx = new Tensor[2];
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    y[threads - 1] = Tensor.zeros(DType.FLOAT32, 1, n);
                    gx[threads - 1] = Tensor.zeros(DType.FLOAT32, 1, n);
                    Ops.map(a, in, y[threads - 1]);
                    Ops.mapScale(a, in, y[threads - 1], g, gx[threads - 1]);
                }
                for (int i = 0; i < n; i++) {
                    float expected = vector ? scalar(f, x[i]) : (float) a.apply(x[i]);
                    float yi = (float) y[0].get(i), gi = (float) g.get(i);
                    Float twin = vector ? scalarScale(f, x[i], yi, gi) : null;
                    float gradient = twin != null ? twin : (float) (gi * a.derivative(x[i], yi));
                    for (int t = 0; t < 2; t++) {
                        String at = f + " vector=" + vector + " threads=" + (t + 1) + " at " + i;
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits((float) y[t].get(i)), at);
                        assertEquals(Float.floatToIntBits(gradient), Float.floatToIntBits((float) gx[t].get(i)), "the gradient, " + at);
                    }
                }
            }
    }

    private static Tensor tensor(float[] x) {
        Tensor t = Tensor.zeros(DType.FLOAT32, 1, x.length);
        for (int i = 0; i < x.length; i++) t.set(i, x[i]);
        return t;
    }
}
