package dev.ravine.optim;

/**
 * A method that re-evaluates the objective as it goes (line searches, curvature): L-BFGS, conjugate gradients,
 * Newton. Like PyTorch's {@code LBFGS.step(closure)}, one {@link #step} runs up to the method's own iteration
 * budget from x (updated in place) and keeps its state for the next call.
 */
public interface Minimizer {
    /** Hears each accepted point; returning false stops the step there. */
    @FunctionalInterface
    interface Listener {
        boolean accepted(double[] x, double f, long evaluations);
    }

    String name();

    /** The step-size multiplier of the spec. */
    double learningRate();

    /** One step; returns the number of points accepted (0 when already converged). */
    int step(Objective f, double[] x, Listener listener);

    /**
     * Why the method cannot take a problem of this many parameters in this JVM (a dense Hessian that does not fit the
     * heap), or null when it can: refused before a run starts rather than ending in an OutOfMemoryError.
     */
    default String refusal(int parameters) {
        return null;
    }

    /** Function+gradient evaluations so far, over all steps. */
    long evaluations();

    /**
     * What the method carries from one step to the next (L-BFGS's history, CG's last direction), as float64 vectors
     * by name, for checkpoints; every method saves its evaluation count.
     */
    java.util.Map<String, double[]> state();

    /** Puts back what {@link #state()} returned, so the next step is the one an uninterrupted run takes. */
    void restore(java.util.Map<String, double[]> state);
}
