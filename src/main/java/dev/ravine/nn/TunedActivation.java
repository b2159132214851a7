package dev.ravine.nn;

import dev.ravine.tensor.Pointwise;

/**
 * The activations whose hyperparameters differ from PyTorch's defaults ({@link ActivationSpec}), each with its first
 * and second derivatives as {@link Activation}'s, in the forms torch.nn's modules compute. They have no kernels of
 * their own: their passes call them entry by entry, in double, rounded to the tensor's dtype.
 */
sealed interface TunedActivation extends Pointwise {
    /** {@code LeakyReLU(negative_slope)}: the slope below 0, and at 0 as PyTorch's backward pass. */
    record LeakyRelu(double slope) implements TunedActivation {
        public double apply(double x) { return x > 0 ? x : slope * x; }
        public double derivative(double x, double y) { return x > 0 ? 1 : slope; }
        public double second(double x, double y) { return 0; }
    }

    /** {@code ELU(alpha)}: alpha (e^x - 1) below 0, whose derivative alpha e^x is y + alpha (alpha at 0). */
    record Elu(double alpha) implements TunedActivation {
        public double apply(double x) { return x > 0 ? x : alpha * Math.expm1(x); }
        public double derivative(double x, double y) { return x > 0 ? 1 : y + alpha; }
        public double second(double x, double y) { return x > 0 ? 0 : y + alpha; }
    }

    /** {@code Softplus(beta, threshold)}: log(1 + e^(beta x)) / beta, and x itself where beta x passes the threshold. */
    record Softplus(double beta, double threshold) implements TunedActivation {
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
     * Gimpel 2016), PyTorch's constants; f' = (1 + t) / 2 + x (1 - t^2) u' / 2 and f'' = (1 - t^2) (u' + x (u'' - 2 t
     * u'^2) / 2), t = tanh(u).
     */
    record GeluTanh() implements TunedActivation {
        /** M_SQRT2 M_2_SQRTPI / 2 = sqrt(2/pi), as PyTorch multiplies it out. */
        static final double BETA = 1.4142135623730951 * 1.1283791670955126 * 0.5;
        static final double KAPPA = 0.044715;

        public double apply(double x) { return 0.5 * x * (1 + Math.tanh(BETA * (x + KAPPA * x * x * x))); }

        public double derivative(double x, double y) {
            double t = Math.tanh(BETA * (x + KAPPA * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * BETA * (1 + 3 * KAPPA * x * x);
        }

        public double second(double x, double y) {
            double t = Math.tanh(BETA * (x + KAPPA * x * x * x)), u1 = BETA * (1 + 3 * KAPPA * x * x), u2 = 6 * BETA * KAPPA * x;
            return (1 - t * t) * (u1 + 0.5 * x * (u2 - 2 * t * u1 * u1));
        }
    }
}
