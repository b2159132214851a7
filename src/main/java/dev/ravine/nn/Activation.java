package dev.ravine.nn;

import dev.ravine.tensor.Float32Kernel;
import dev.ravine.tensor.Float64Kernel;
import dev.ravine.tensor.Pointwise;
import dev.ravine.tensor.Squash;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Elementwise nonlinearities with their first and second derivatives, the second for exact Hessian-vector
 * products. Derivatives take both x and y = f(x) so each can use whichever is cheaper. At kinks the derivative
 * is PyTorch's choice: ReLU'(0) = 0, LeakyReLU'(0) = slope, ELU'(0) = 1.
 */
public enum Activation implements Pointwise {
    RELU("relu", "ReLU") {
        public double apply(double x) { return x > 0 ? x : 0; }
        public double derivative(double x, double y) { return x > 0 ? 1 : 0; }
        public double second(double x, double y) { return 0; }
    },
    TANH("tanh", "Tanh") {
        public double apply(double x) { return Squash.TANH.apply(x); }
        public double derivative(double x, double y) { return Squash.TANH.derivative(y); }
        public double second(double x, double y) { return Squash.TANH.second(y); }
        public Squash squash() { return Squash.TANH; }
    },
    SIGMOID("sigmoid", "Sigmoid") {
        public double apply(double x) { return Squash.SIGMOID.apply(x); }
        public double derivative(double x, double y) { return Squash.SIGMOID.derivative(y); }
        public double second(double x, double y) { return Squash.SIGMOID.second(y); }
        public Squash squash() { return Squash.SIGMOID; }
    },
    LEAKY_RELU("leaky_relu", "LeakyReLU") {
        // PyTorch's default negative slope, 0.01, as its kernels take it (parameters())
        public double apply(double x) { return x > 0 ? x : LEAKY_SLOPE * x; }
        public double derivative(double x, double y) { return x > 0 ? 1 : LEAKY_SLOPE; }
        public double second(double x, double y) { return 0; }
        public Float32Kernel float32Kernel() { return Float32Kernel.LEAKY_RELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.LEAKY_RELU; }
    },
    ELU("elu", "ELU") {
        // alpha = 1, PyTorch's default (parameters(), as its kernels take it)
        public double apply(double x) { return x > 0 ? x : Math.expm1(x); }
        public double derivative(double x, double y) { return x > 0 ? 1 : y + 1; }
        public double second(double x, double y) { return x > 0 ? 0 : y + 1; }
        public Float32Kernel float32Kernel() { return Float32Kernel.ELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.ELU; }
    },
    GELU("gelu", "GELU") {
        // the exact form x * Phi(x), PyTorch's default approximate='none'
        public double apply(double x) { return x * Erf.normalCdf(x); }
        // Phi(x) = y / x, which spares a second erf in the backward pass
        public double derivative(double x, double y) { return factor(x, y) + x * Erf.normalPdf(x); }
        public double second(double x, double y) { return Erf.normalPdf(x) * (2 - x * x); }
        public Float32Kernel float32Kernel() { return Float32Kernel.GELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.GELU; }
    },
    SILU("silu", "SiLU") {
        // x sigmoid(x), the swish of Ramachandran et al. 2017 (beta 1)
        public double apply(double x) { return x * SIGMOID.apply(x); }
        // sigmoid(x) = y / x, which spares an exp in the backward and R-operator passes
        public double derivative(double x, double y) { double s = factor(x, y); return s * (1 + x * (1 - s)); }
        public double second(double x, double y) { double s = factor(x, y); return s * (1 - s) * (2 + x * (1 - 2 * s)); }
        public Float32Kernel float32Kernel() { return Float32Kernel.SILU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.SILU; }
    },
    SOFTPLUS("softplus", "Softplus") {
        // beta 1, threshold 20: PyTorch's defaults, above which it returns x itself
        static final double THRESHOLD = 20;
        public double apply(double x) { return x > THRESHOLD ? x : Math.log1p(Math.exp(x)); }
        public double derivative(double x, double y) { return x > THRESHOLD ? 1 : SIGMOID.apply(x); }
        public double second(double x, double y) { double s = SIGMOID.apply(x); return x > THRESHOLD ? 0 : s * (1 - s); }
        public Float32Kernel float32Kernel() { return Float32Kernel.SOFTPLUS; }
        public Float64Kernel float64Kernel() { return Float64Kernel.SOFTPLUS; }
    },
    SELU("selu", "SELU") {
        // Klambauer et al. 2017's self-normalizing constants, as PyTorch writes them; SELU'(0) is the negative side's
        static final double ALPHA = 1.6732632423543772848170429916717, SCALE = 1.0507009873554804934193349852946;
        public double apply(double x) { return x > 0 ? SCALE * x : SCALE * ALPHA * Math.expm1(x); }
        public double derivative(double x, double y) { return x > 0 ? SCALE : SCALE * ALPHA * Math.exp(x); }
        public double second(double x, double y) { return x > 0 ? 0 : SCALE * ALPHA * Math.exp(x); }
        public Float32Kernel float32Kernel() { return Float32Kernel.SELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.SELU; }
    },
    MISH("mish", "Mish") {
        // x tanh(softplus(x)) (Misra 2019), softplus without PyTorch's threshold here, as its mish computes it
        public double apply(double x) { return x * Math.tanh(Math.log1p(Math.exp(x))); }
        public double derivative(double x, double y) {
            double t = Math.tanh(Math.log1p(Math.exp(x)));
            return t + x * (1 - t * t) * SIGMOID.apply(x);
        }
        public double second(double x, double y) {
            double t = Math.tanh(Math.log1p(Math.exp(x))), s = SIGMOID.apply(x), u = (1 - t * t) * s;
            return u * (2 + x * ((1 - s) - 2 * t * s));
        }
        public Float32Kernel float32Kernel() { return Float32Kernel.MISH; }
        public Float64Kernel float64Kernel() { return Float64Kernel.MISH; }
    },
    IDENTITY("identity", "Identity") {
        public double apply(double x) { return x; }
        public double derivative(double x, double y) { return 1; }
        public double second(double x, double y) { return 0; }
    };

    /** LeakyReLU's negative slope by PyTorch's default, the one its kernels take by default. */
    private static final double LEAKY_SLOPE = Float32Kernel.LEAKY_RELU.parameters()[0];

    /** The name in model specs. */
    public final String label;
    /** The PyTorch module name. */
    public final String torchName;

    Activation(String label, String torchName) {
        this.label = label;
        this.torchName = torchName;
    }

    /**
     * g(x) = y / x for an activation y = x g(x) with g(0) = 1/2 (GELU's Phi, SiLU's sigmoid): the factor read back
     * from the output instead of computed again.
     */
    private static double factor(double x, double y) {
        return x != 0 ? y / x : 0.5;
    }

    /** tanh or the sigmoid, whose derivatives follow from y alone and have vectorized kernels; null for the others. */
    public Squash squash() {
        return null;
    }

    public static Activation parse(String label) {
        for (Activation a : values()) if (a.label.equals(label)) return a;
        throw new IllegalArgumentException("unknown activation '" + label + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(a -> a.label).collect(Collectors.joining(", "));
    }
}
