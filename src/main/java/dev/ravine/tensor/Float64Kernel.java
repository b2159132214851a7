package dev.ravine.tensor;

/**
 * The activations whose float64 forward pass has a vector kernel of ravine's own, on the vector kernels: the logistic
 * family of e^{-c|x|}, tanh, the sigmoid and SiLU ({@link Logistic64}), and ELU ({@link Elu}). Their derivatives need
 * no transcendental function: tanh's and the sigmoid's are polynomials of y ({@link Squash}), SiLU's takes the sigmoid
 * as y / x, ELU's is y + 1 below 0.
 */
public enum Float64Kernel {
    TANH, SIGMOID, SILU, ELU;

    /**
     * What an entry costs, in the multiply-adds {@link Parallel} counts (~5 a nanosecond), by which a pass is split
     * over the threads or not: 1.0-1.9 ns an entry at 512 bits (ELU the least).
     */
    static final long WORK = 10;
    /** When the forward pass's vector loop takes over from its scalar twin. */
    final VectorStart forwardStart = new VectorStart();

    /**
     * Whether float64 forward passes take these kernels: on the vector kernels where a vector holds four doubles or
     * more. With fewer the loop cannot run (see {@link Elementwise32}), and the scalar twin alone, a chain of some sixty
     * operations an entry, is slower than Math's functions (10-14 ns an entry against 4-12, AMD EPYC Zen 5).
     */
    static boolean inUse() {
        return Kernels.vector(DType.FLOAT64) && Kernels.floatLanes() >= 8;
    }

    /** out = f(x) for n entries. */
    void forward(double[] x, int xo, double[] out, int oo, int n) {
        if (this == ELU) Elu.apply(forwardStart, x, xo, out, oo, n);
        else Logistic64.apply(this, x, xo, out, oo, n);
    }
}
