package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the float64 kernels ({@link Logistic64}, {@link Elu}, {@link Gelu64}, {@link Softplus}, {@link Mish},
 * {@link GeluTanh64}) share:
 * which activations take them, and an activation's forward pass (and the backward passes with kernels) the same bits on
 * one thread and two, the float64 path's elsewhere
 * on the plain-Java kernels and where vectors hold fewer than four doubles. (In child JVMs: {@link TwinKernelsTest}.)
 */
class Float64KernelTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    /** f's scalar twin. */
    static double scalar(Float64Kernel f, double x) {
        return switch (f) {
            case ELU -> Elu.elu(1, Elu.ALPHA, x);
            case GELU -> Gelu64.gelu(x);
            case SOFTPLUS -> SoftplusTest.softplus(x);
            case SELU -> EluTest.selu(x);
            case MISH -> Mish.mish(x);
            case LEAKY_RELU -> LeakyRelu.scale(LeakyRelu.SLOPE, x, x);
            case GELU_TANH -> GeluTanh64.gelu(x);
            default -> Logistic64Test.scalar(f, x);
        };
    }

    /** f over n entries by its vector loop wherever it can go, however far the probes have got. */
    static void viaVectors(Float64Kernel f, double[] x, int xo, double[] y, int yo, int n) {
        switch (f) {
            case ELU -> EluTest.viaVectors(Elu.ALPHA, x, xo, y, yo, n);
            case GELU -> Gelu64Test.viaVectors(x, xo, y, yo, n);
            case SOFTPLUS -> DoubleLaneTwins.viaVectors(SoftplusTest.LOOP, false, SoftplusTest::softplus, SoftplusTest::scale, x, xo, null, y, yo, n);
            case SELU -> DoubleLaneTwins.viaVectors(EluTest.SELU, false, EluTest::selu, Elu::seluScale, x, xo, null, y, yo, n);
            case MISH -> DoubleLaneTwins.viaVectors(MishTest.LOOP, false, Mish::mish, Mish::scale, x, xo, null, y, yo, n);
            case LEAKY_RELU -> LeakyReluTest.viaVectors(LeakyRelu.SLOPE, x, xo, x, y, yo, n);
            case GELU_TANH -> GeluTanhTest.viaVectors64(x, xo, y, yo, n);
            default -> Logistic64Test.viaVectors(f, x, xo, y, yo, n);
        }
    }

    static Pointwise activation(Float64Kernel f) {
        return switch (f) {
            case GELU_TANH -> GeluTanhTest.FUNCTION;
            case ELU -> Activation.ELU;
            case GELU -> Activation.GELU;
            case SOFTPLUS -> Activation.SOFTPLUS;
            case SELU -> Activation.SELU;
            case MISH -> Activation.MISH;
            case LEAKY_RELU -> Activation.LEAKY_RELU;
            default -> Logistic64Test.activation(f);
        };
    }

    /** tanh and the sigmoid by being squashing functions, the others by name; the derivatives of all but those two. */
    @Test
    void whichActivationsTakeTheKernels() {
        for (Activation a : Activation.values()) {
            Float64Kernel expected = switch (a) {
                case TANH -> Float64Kernel.TANH;
                case SIGMOID -> Float64Kernel.SIGMOID;
                case SILU -> Float64Kernel.SILU;
                case ELU -> Float64Kernel.ELU;
                case GELU -> Float64Kernel.GELU;
                case SOFTPLUS -> Float64Kernel.SOFTPLUS;
                case SELU -> Float64Kernel.SELU;
                case MISH -> Float64Kernel.MISH;
                case LEAKY_RELU -> Float64Kernel.LEAKY_RELU;
                default -> null;
            };
            assertEquals(expected, a.float64Kernel(), a.label);
            boolean scales = a != Activation.TANH && a != Activation.SIGMOID;
            if (expected != null) assertEquals(scales, expected.scales(), a.label);
        }
    }

    /** An activation's float64 forward pass ({@link Ops#map}) through its kernel, split over two threads or not. */
    @ParameterizedTest
    @EnumSource(Float64Kernel.class)
    void anActivationsForwardPassIsTheKernelOnAnyThreadCount(Float64Kernel f) {
        Pointwise a = activation(f);
        SplittableRandom rng = new SplittableRandom(4);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {7, 4_099, 300_007}) {
                Kernels.useVector(vector);
                double[] x = Logistic64Test.inputs(n, rng);
                Tensor in = Tensor.zeros(DType.FLOAT64, 1, n);
                for (int i = 0; i < n; i++) in.set(i, x[i]);
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    Tensor y = Tensor.zeros(DType.FLOAT64, 1, n);
                    Ops.map(a, in, y);
                    for (int i = 0; i < n; i++) {
                        double expected = Float64Kernel.inUse() ? scalar(f, x[i]) : a.apply(x[i]);
                        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(y.get(i)),
                                f + " vector=" + vector + " threads=" + threads + " at x=" + x[i]);
                    }
                }
            }
    }

    /** in f'(x) given y by f's twin. */
    static double scalarScale(Float64Kernel f, double x, double y, double in) {
        return switch (f) {
            case GELU -> Gelu64.scale(x, y, in);
            case SOFTPLUS -> SoftplusTest.scale(x, in);
            case SELU -> Elu.seluScale(x, in);
            case MISH -> Mish.scale(x, in);
            case SILU -> SiluSlope64.scale(x, y, in);
            case LEAKY_RELU -> LeakyRelu.scale(LeakyRelu.SLOPE, x, in);
            case ELU -> Elu.scale(Elu.ALPHA, x, y, in);
            case GELU_TANH -> GeluTanh64.scale(x, in);
            default -> throw new IllegalArgumentException(f + " has no kernel for its derivative");
        };
    }

    /**
     * A float64 backward pass ({@link Ops#mapScale}) through its kernel where it has one, split over two threads or not;
     * SiLU's, LeakyReLU's and ELU's the float64 path's own bits.
     */
    @ParameterizedTest
    @EnumSource(value = Float64Kernel.class, names = {"GELU", "SOFTPLUS", "SELU", "MISH", "SILU", "LEAKY_RELU", "ELU", "GELU_TANH"})
    void aBackwardPassIsTheKernelOnAnyThreadCount(Float64Kernel f) {
        Pointwise a = activation(f);
        SplittableRandom rng = new SplittableRandom(6);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {7, 4_099, 300_007}) {
                Kernels.useVector(vector);
                double[] x = Logistic64Test.inputs(n, rng), g = Logistic64Test.inputs(n, rng);
                Tensor in = Tensor.zeros(DType.FLOAT64, 1, n), gy = Tensor.zeros(DType.FLOAT64, 1, n), y = Tensor.zeros(DType.FLOAT64, 1, n);
                for (int i = 0; i < n; i++) {
                    in.set(i, x[i]);
                    gy.set(i, g[i]);
                }
                Ops.map(a, in, y);
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    Tensor gx = Tensor.zeros(DType.FLOAT64, 1, n);
                    Ops.mapScale(a, in, y, gy, gx);
                    for (int i = 0; i < n; i++) {
                        double yi = y.get(i), path = g[i] * a.derivative(x[i], yi);
                        double expected = Float64Kernel.inUse() ? scalarScale(f, x[i], yi, g[i]) : path;
                        if (f == Float64Kernel.SILU || f == Float64Kernel.LEAKY_RELU || f == Float64Kernel.ELU)
                            assertEquals(Double.doubleToLongBits(path), Double.doubleToLongBits(expected), f + "'s twin at x=" + x[i]);
                        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(gx.get(i)),
                                f + " vector=" + vector + " threads=" + threads + " at x=" + x[i]);
                    }
                }
            }
    }
}
