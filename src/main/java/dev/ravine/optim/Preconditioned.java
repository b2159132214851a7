package dev.ravine.optim;

/**
 * An adaptive method whose step is lr P^-1 times a (momentum) average of gradients, with P diagonal: what the
 * preconditioned sharpness lambda_max(P^-1 H) is measured against (Cohen et al. 2022, "Adaptive gradient methods at
 * the edge of stability").
 */
public interface Preconditioned {
    /** The diagonal of P as the last step used it, or null before the first step. */
    default double[] preconditioner() {
        return preconditioner(null);
    }

    /**
     * As {@link #preconditioner()}, written into {@code into} where that is an array of the parameters' length (an
     * instrument's buffer from its last measurement), else into a new one.
     */
    double[] preconditioner(double[] into);

    /** The preconditioned sharpness above which steps at learning rate {@code lr} are unstable along the sharpest direction. */
    double stabilityThreshold(double lr);
}
