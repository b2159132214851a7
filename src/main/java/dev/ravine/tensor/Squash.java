package dev.ravine.tensor;

/**
 * The squashing functions (Hornik et al. 1989), tanh and the logistic sigmoid, whose first and second derivatives
 * are polynomials of their output y = f(x): the backward pass and the R-operator's passes read only y, so the
 * vectorized kernels of those passes ({@link Ops#squashScale}, {@link Ops#squashR}) are a few multiplications an
 * entry. The scalar forms here are the reference, what the scalar kernels and {@code Activation} compute.
 */
public enum Squash {
    TANH {
        public double apply(double x) { return Math.tanh(x); }
        public double derivative(double y) { return 1 - y * y; }
        public double second(double y) { return -2 * y * (1 - y * y); }
    },
    SIGMOID {
        public double apply(double x) {
            // exp of a non-positive argument only, so neither branch overflows
            if (x >= 0) return 1 / (1 + Math.exp(-x));
            double e = Math.exp(x);
            return e / (1 + e);
        }
        public double derivative(double y) { return y * (1 - y); }
        public double second(double y) { return y * (1 - y) * (1 - 2 * y); }
    };

    public abstract double apply(double x);

    /** f'(x), given y = f(x). */
    public abstract double derivative(double y);

    /** f''(x), given y = f(x). */
    public abstract double second(double y);
}
