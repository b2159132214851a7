package dev.ravine.tensor;

/**
 * The activations whose float64 forward pass has a vector kernel of ravine's own, on the vector kernels: the logistic
 * family of e^{-c|x|}, tanh, the sigmoid and SiLU ({@link Logistic64}), ELU and SELU ({@link Elu}), GELU ({@link
 * Gelu64}), Softplus ({@link Softplus}), Mish ({@link Mish}), LeakyReLU ({@link LeakyRelu}) and GELU's tanh form
 * ({@link GeluTanh64}). Their backward passes have kernels here too but for tanh's and the sigmoid's, polynomials of y
 * with kernels of their own ({@link Squash}): SiLU's ({@link SiluSlope64}), LeakyReLU's and ELU's with the float64
 * path's own operations, the others from x.
 */
public enum Float64Kernel {
    TANH, SIGMOID, SILU, ELU, GELU, SOFTPLUS(VectorStart.SLOW_TWIN_FIRST), SELU, MISH(VectorStart.SLOW_TWIN_FIRST), LEAKY_RELU,
    GELU_TANH(VectorStart.SLOW_TWIN_FIRST);

    /**
     * What an entry costs, in the multiply-adds {@link Parallel} counts (~5 a nanosecond), by which a pass is split
     * over the threads or not: 1.0-4.3 ns an entry at 512 bits (ELU the least, GELU's tanh form's forward pass the most).
     */
    static final long WORK = 10;
    /** When the forward pass's vector loop, and the derivative's where it has one, take over from their scalar twins. */
    final VectorStart forwardStart, scaleStart;

    Float64Kernel() {
        this(VectorStart.TWIN_FIRST);
    }

    /** With the entries the scalar twins take before the loops are tried ({@link VectorStart}). */
    Float64Kernel(long twinFirst) {
        forwardStart = new VectorStart(twinFirst);
        scaleStart = new VectorStart(twinFirst);
    }

    /**
     * Whether float64 forward passes take these kernels: on the vector kernels where a vector holds four doubles or
     * more. With fewer the loop cannot run (see {@link Elementwise32}), and the scalar twin alone, a chain of some sixty
     * operations an entry, is slower than Math's functions (10-14 ns an entry against 4-12, AMD EPYC Zen 5).
     */
    static boolean inUse() {
        return Kernels.vector(DType.FLOAT64) && Kernels.floatLanes() >= 8;
    }

    /** out = f(x) for n entries, with the hyperparameters LeakyReLU, ELU and Softplus take ({@link Pointwise#parameters}). */
    void forward(double[] p, double[] x, int xo, double[] out, int oo, int n) {
        switch (this) {
            case ELU -> Elu.apply(forwardStart, 1, p[0], x, xo, out, oo, n);
            case SELU -> Elu.apply(forwardStart, Elu.SELU_SCALE, Elu.SELU_NEGATIVE, x, xo, out, oo, n);
            case GELU -> Gelu64.apply(forwardStart, x, xo, out, oo, n);
            case SOFTPLUS -> Softplus.apply(forwardStart, p[0], p[1], x, xo, out, oo, n);
            case MISH -> Mish.apply(forwardStart, x, xo, out, oo, n);
            case LEAKY_RELU -> LeakyRelu.apply(forwardStart, p[0], x, xo, out, oo, n);
            case GELU_TANH -> GeluTanh64.apply(forwardStart, x, xo, out, oo, n);
            default -> Logistic64.apply(this, x, xo, out, oo, n);
        }
    }

    /** Whether the backward pass's out = in f'(x) has a kernel here ({@link #scale}): all but tanh's and the sigmoid's. */
    boolean scales() {
        return this != TANH && this != SIGMOID;
    }

    /** out = in f'(x) for n entries, given y = f(x), with the hyperparameters of {@link #forward}. */
    void scale(double[] p, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int n) {
        switch (this) {
            case GELU -> Gelu64.scale(scaleStart, x, xo, y, yo, in, io, out, oo, n);
            case SOFTPLUS -> Softplus.scale(scaleStart, p[0], p[1], x, xo, in, io, out, oo, n);
            case SELU -> Elu.seluScale(scaleStart, x, xo, in, io, out, oo, n);
            case MISH -> Mish.scale(scaleStart, x, xo, in, io, out, oo, n);
            case SILU -> SiluSlope64.scale(scaleStart, x, xo, y, yo, in, io, out, oo, n);
            case LEAKY_RELU -> LeakyRelu.scale(scaleStart, p[0], x, xo, in, io, out, oo, n);
            case ELU -> Elu.scale(scaleStart, p[0], x, xo, y, yo, in, io, out, oo, n);
            case GELU_TANH -> GeluTanh64.scale(scaleStart, x, xo, in, io, out, oo, n);
            default -> throw new IllegalStateException(this + " has no kernel for its derivative");
        }
    }
}
