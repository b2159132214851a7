package dev.ravine.optim;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;

/** An optimizer that looks inside the network after each backward pass, before it steps (K-FAC). */
public interface CurvatureAware {
    /** Called after {@link Network#lossAndGradient} on a minibatch with these targets, before the step. */
    void observe(Network net, Loss loss, Tensor targets);
}
