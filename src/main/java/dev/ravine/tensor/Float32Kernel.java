package dev.ravine.tensor;

/**
 * The activations whose float32 passes have vector kernels of ravine's own: the logistic family of e^{-c|x|} (the
 * sigmoid, tanh = 2 sigmoid(2x) - 1 and SiLU = x sigmoid(x); their forward pass, {@link Logistic32}; SiLU's
 * derivative, {@link SiluSlope32}) and GELU = x Phi(x) (its forward pass and its derivative, {@link Gelu32}).
 */
public enum Float32Kernel {
    TANH, SIGMOID, SILU, GELU;

    /** out = f(x) for n entries. */
    void forward(float[] x, int xo, float[] out, int oo, int n) {
        if (this == GELU) Gelu32.apply(x, xo, out, oo, n);
        else Logistic32.apply(this, x, xo, out, oo, n);
    }

    /** Whether the backward pass's out = in f'(x) has a kernel here ({@link #scale}); tanh's and the sigmoid's are {@link Squash}'s. */
    boolean scales() {
        return this == GELU || this == SILU;
    }

    /** out = in f'(x) for n entries, given y = f(x). */
    void scale(float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        switch (this) {
            case GELU -> Gelu32.scale(x, xo, y, yo, in, io, out, oo, n);
            case SILU -> SiluSlope32.scale(x, xo, y, yo, in, io, out, oo, n);
            default -> throw new IllegalStateException(this + " has no kernel for its derivative");
        }
    }
}
