package dev.ravine.nn;

import dev.ravine.tensor.Float32Kernel;
import dev.ravine.tensor.Float64Kernel;
import dev.ravine.tensor.Pointwise;

/**
 * The activations whose hyperparameters differ from PyTorch's defaults ({@link ActivationSpec}), each with its first
 * and second derivatives as {@link Activation}'s, in the forms torch.nn's modules compute (what the R-operator's passes
 * call, entry by entry). LeakyReLU's, ELU's and Softplus's passes take their kernels, which are given the
 * hyperparameters; GELU's tanh form has kernels of its own.
 */
sealed interface TunedActivation extends Pointwise {
    /**
     * {@code LeakyReLU(negative_slope)}: the slope below 0, and at 0 as PyTorch's backward pass. Its passes take
     * LeakyReLU's kernels, which are given the slope.
     */
    record LeakyRelu(double slope) implements TunedActivation {
        public double apply(double x) { return x > 0 ? x : slope * x; }
        public double derivative(double x, double y) { return x > 0 ? 1 : slope; }
        public double second(double x, double y) { return 0; }
        public Float32Kernel float32Kernel() { return Float32Kernel.LEAKY_RELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.LEAKY_RELU; }
        public double[] parameters() { return new double[] {slope}; }
    }

    /**
     * {@code ELU(alpha)}: alpha (e^x - 1) below 0, whose derivative alpha e^x is y + alpha (alpha at 0). Its passes take
     * ELU's kernels, which are given alpha.
     */
    record Elu(double alpha) implements TunedActivation {
        public double apply(double x) { return x > 0 ? x : alpha * Math.expm1(x); }
        public double derivative(double x, double y) { return x > 0 ? 1 : y + alpha; }
        public double second(double x, double y) { return x > 0 ? 0 : y + alpha; }
        public Float32Kernel float32Kernel() { return Float32Kernel.ELU; }
        public Float64Kernel float64Kernel() { return Float64Kernel.ELU; }
        public double[] parameters() { return new double[] {alpha}; }
    }

    /**
     * {@code Softplus(beta, threshold)}: log(1 + e^(beta x)) / beta, and x itself where beta x passes the threshold. Its
     * passes take Softplus's kernels, which are given both.
     */
    record Softplus(double beta, double threshold) implements TunedActivation {
        public Float32Kernel float32Kernel() { return Float32Kernel.SOFTPLUS; }
        public Float64Kernel float64Kernel() { return Float64Kernel.SOFTPLUS; }
        public double[] parameters() { return new double[] {beta, threshold}; }
        public double apply(double x) { return beta * x > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta; }
        public double derivative(double x, double y) { return beta * x > threshold ? 1 : Activation.SIGMOID.apply(beta * x); }
        public double second(double x, double y) {
            if (beta * x > threshold) return 0;
            double s = Activation.SIGMOID.apply(beta * x);
            return beta * s * (1 - s);
        }
    }

    /**
     * {@code GELU(approximate='tanh')}: x (1 + tanh(u)) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3) (Hendrycks and
     * Gimpel 2016), PyTorch's constants; with s = 1 + tanh(u), f' = s / 2 + x s (2 - s) u' / 2 and f'' = s (2 - s)
     * (u' + x (u'' - 2 (s - 1) u'^2) / 2), 1 - tanh^2 being s (2 - s). The derivatives read s = 2y / x back from the
     * output, as GELU's exact form reads Phi: the R-operator's passes call no tanh. The forward and backward passes take
     * the kernels, which compute x times the sigmoid of 2u.
     */
    record GeluTanh() implements TunedActivation {
        public Float32Kernel float32Kernel() { return Float32Kernel.GELU_TANH; }
        public Float64Kernel float64Kernel() { return Float64Kernel.GELU_TANH; }

        /** M_SQRT2 M_2_SQRTPI / 2 = sqrt(2/pi), as PyTorch multiplies it out. */
        static final double BETA = 1.4142135623730951 * 1.1283791670955126 * 0.5;
        static final double KAPPA = 0.044715;

        public double apply(double x) { return 0.5 * x * (1 + Math.tanh(BETA * (x + KAPPA * x * x * x))); }

        public double derivative(double x, double y) {
            double s = onePlusTanh(x, y);
            return 0.5 * s + 0.5 * x * s * (2 - s) * BETA * (1 + 3 * KAPPA * x * x);
        }

        public double second(double x, double y) {
            double s = onePlusTanh(x, y), u1 = BETA * (1 + 3 * KAPPA * x * x), u2 = 6 * BETA * KAPPA * x;
            return s * (2 - s) * (u1 + 0.5 * x * (u2 - 2 * (s - 1) * u1 * u1));
        }

        /** 1 + tanh(u) = 2y / x, and 1 at x = 0 (where y is 0 too). */
        private static double onePlusTanh(double x, double y) {
            return x != 0 ? 2 * y / x : 1;
        }
    }
}
