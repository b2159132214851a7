package dev.ravine.tensor;

/** An elementwise function with its first and second derivatives, each given both x and y = f(x) (an activation). */
public interface Pointwise {
    double apply(double x);

    /** f'(x), given y = f(x). */
    double derivative(double x, double y);

    /** f''(x), given y = f(x). */
    double second(double x, double y);

    /** The squashing function f is (tanh or the sigmoid, which have kernels of their own); null for the others. */
    default Squash squash() {
        return null;
    }

    /**
     * f as one of those whose float32 passes have a kernel of ravine's own ({@link Float32Kernel}): the squashing
     * functions, and whatever else names itself here (every activation but ReLU and the identity); null for the others.
     */
    default Float32Kernel float32Kernel() {
        Squash s = squash();
        return s == null ? null : s == Squash.TANH ? Float32Kernel.TANH : Float32Kernel.SIGMOID;
    }

    /**
     * f as one of those whose float64 passes have a kernel of ravine's own ({@link Float64Kernel}): the squashing
     * functions, and whatever else names itself here (every activation but ReLU and the identity); null for the others.
     */
    default Float64Kernel float64Kernel() {
        Squash s = squash();
        return s == null ? null : s == Squash.TANH ? Float64Kernel.TANH : Float64Kernel.SIGMOID;
    }

    /**
     * The hyperparameters its kernels take: LeakyReLU's negative slope, ELU's alpha, Softplus's beta and threshold.
     * PyTorch's defaults (the kernel's, {@link Float32Kernel#parameters}) unless a model spec gives others; none for the
     * rest.
     */
    default double[] parameters() {
        Float32Kernel k = float32Kernel();
        return k == null ? new double[0] : k.parameters();
    }
}
