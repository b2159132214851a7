package dev.ravine.tensor;

/**
 * The activations whose float32 passes have vector kernels of ravine's own: the logistic family of e^{-c|x|} (the
 * sigmoid, tanh = 2 sigmoid(2x) - 1 and SiLU = x sigmoid(x); their forward pass, {@link Logistic32}; SiLU's
 * derivative, {@link SiluSlope32}), GELU = x Phi(x) (its forward pass and its derivative, {@link Gelu32}), ELU
 * ({@link Elu}), LeakyReLU ({@link LeakyRelu}), Softplus ({@link Softplus}), SELU ({@link Elu}), Mish ({@link Mish}) and
 * GELU's tanh form ({@link GeluTanh32}), both passes of each.
 */
public enum Float32Kernel {
    TANH(2, 0), SIGMOID(2, 0), SILU(2, 2), GELU(7, 5), ELU(5, 1), LEAKY_RELU(1, 1), SOFTPLUS(17, 9, VectorStart.SLOW_TWIN_FIRST),
    SELU(7, 6), MISH(15, 20, VectorStart.SLOW_TWIN_FIRST), GELU_TANH(7, 8);

    /**
     * What an entry of the forward pass and of the derivative's costs, in the multiply-adds {@link Parallel} counts
     * (~5 a nanosecond: tanh's 0.4 ns an entry, GELU's 1.4 and 0.95, Mish's 3.0 and 4 at 512 bits), by which a pass is
     * split over the threads or not; 0 where the derivative has no kernel here.
     */
    private final int forwardWork, scaleWork;
    /** When the forward pass's vector loop, and the derivative's where it has one, take over from their scalar twins. */
    final VectorStart forwardStart, scaleStart;

    Float32Kernel(int forwardWork, int scaleWork) {
        this(forwardWork, scaleWork, VectorStart.TWIN_FIRST);
    }

    /** With the entries the scalar twins take before the loops are tried ({@link VectorStart}). */
    Float32Kernel(int forwardWork, int scaleWork, long twinFirst) {
        this.forwardWork = forwardWork;
        this.scaleWork = scaleWork;
        forwardStart = new VectorStart(twinFirst);
        scaleStart = new VectorStart(twinFirst);
    }

    /** What an entry costs, in the multiply-adds {@link Parallel} counts: of f' and its scaling, or of f. */
    long work(boolean scale) {
        return scale ? scaleWork : forwardWork;
    }

    /**
     * PyTorch's defaults for the hyperparameters this kernel takes: LeakyReLU's negative slope, ELU's alpha, Softplus's
     * beta and threshold; none for the others.
     */
    public double[] parameters() {
        return switch (this) {
            case LEAKY_RELU -> new double[] {LeakyRelu.SLOPE};
            case ELU -> new double[] {Elu.ALPHA};
            case SOFTPLUS -> new double[] {Softplus.BETA, Softplus.THRESHOLD};
            default -> new double[0];
        };
    }

    /** out = f(x) for n entries, with the hyperparameters LeakyReLU, ELU and Softplus take ({@link Pointwise#parameters}). */
    void forward(double[] p, float[] x, int xo, float[] out, int oo, int n) {
        switch (this) {
            case GELU -> Gelu32.apply(x, xo, out, oo, n);
            case ELU -> Elu.apply(forwardStart, 1, p[0], x, xo, out, oo, n);
            case SELU -> Elu.apply(forwardStart, Elu.SELU_SCALE, Elu.SELU_NEGATIVE, x, xo, out, oo, n);
            case LEAKY_RELU -> LeakyRelu.apply(forwardStart, p[0], x, xo, out, oo, n);
            case SOFTPLUS -> Softplus.apply(forwardStart, p[0], p[1], x, xo, out, oo, n);
            case MISH -> Mish.apply(forwardStart, x, xo, out, oo, n);
            case GELU_TANH -> GeluTanh32.apply(forwardStart, x, xo, out, oo, n);
            default -> Logistic32.apply(this, x, xo, out, oo, n);
        }
    }

    /**
     * Whether the backward pass's out = in f'(x) has a kernel here ({@link #scale}); tanh's and the sigmoid's are
     * {@link Squash}'s.
     */
    boolean scales() {
        return scaleWork > 0;
    }

    /** out = in f'(x) for n entries, given y = f(x), with the hyperparameters of {@link #forward}. */
    void scale(double[] p, float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        switch (this) {
            case GELU -> Gelu32.scale(x, xo, y, yo, in, io, out, oo, n);
            case SILU -> SiluSlope32.scale(x, xo, y, yo, in, io, out, oo, n);
            case ELU -> Elu.scale(scaleStart, p[0], x, xo, y, yo, in, io, out, oo, n);
            case LEAKY_RELU -> LeakyRelu.scale(scaleStart, p[0], x, xo, in, io, out, oo, n);
            case SOFTPLUS -> Softplus.scale(scaleStart, p[0], p[1], x, xo, in, io, out, oo, n);
            case SELU -> Elu.seluScale(scaleStart, x, xo, in, io, out, oo, n);
            case MISH -> Mish.scale(scaleStart, x, xo, in, io, out, oo, n);
            case GELU_TANH -> GeluTanh32.scale(scaleStart, x, xo, in, io, out, oo, n);
            default -> throw new IllegalStateException(this + " has no kernel for its derivative");
        }
    }
}
