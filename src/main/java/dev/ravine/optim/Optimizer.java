package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * A first-order method over one flat parameter vector: each {@link #step} reads the gradient and updates the
 * parameters in place. Its state (moment estimates, momentum buffers, the step count) is allocated on the first
 * step in the parameters' dtype and exposed by name, so a run can be checkpointed and resumed exactly.
 */
public interface Optimizer {
    /** The spec name ({@code sgd}, {@code adam}). */
    String name();

    /** The base learning rate of the spec; a schedule scales from it. */
    double learningRate();

    /** One update of {@code params} from {@code grads} with learning rate {@code lr}. {@code grads} is not modified. */
    void step(Tensor params, Tensor grads, double lr);

    /**
     * Sets the momentum coefficient (momentum for SGD and RMSProp, beta1 for the Adam family) from now on, for
     * schedules that cycle it; false when the method has none.
     */
    default boolean cycleMomentum(double value) {
        return false;
    }

    /**
     * Where the flat parameter vector's tensors begin and end ({@code bounds[i]} to {@code bounds[i + 1]}). A method
     * that splits its update over threads then gives each thread the same share of every tensor: the rows of each
     * weight matrix that the same thread reads in the matrix products, which stay in its cache. Optional; it
     * changes no result.
     */
    default void alignWith(int[] bounds) {
    }

    /** Steps taken so far. */
    long steps();

    /** State tensors by name, for checkpoints; empty before the first step. */
    Map<String, Tensor> state();

    /**
     * Puts back what {@link #state()} and {@link #steps()} held when a checkpoint was taken, so the next step is
     * the one an uninterrupted run would take, to the last bit. Each tensor is copied in; a method whose state is
     * more than named tensors (K-FAC's factors) cannot resume, and says so.
     */
    default void restore(Map<String, Tensor> state, long steps) {
        throw new UnsupportedOperationException(name() + " cannot resume from a checkpoint");
    }
}
