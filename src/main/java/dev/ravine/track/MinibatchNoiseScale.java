package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;
import java.util.Map;

/**
 * {@code --track noise_scale:minibatch=true,steps=N}: B_simple on the step's own minibatch, from the per-example
 * gradient norms of its backward pass (the figure Cockpit's batch-wise instruments take): nothing is recomputed,
 * so a measurement costs a pass over the activations and one over the gradient. A ragged last batch of one row has
 * no spread to measure and gives no figure.
 */
final class MinibatchNoiseScale extends OnMinibatch {
    private double[] gradient;

    MinibatchNoiseScale(Track track, TrackLog log) {
        super(track, log);
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        int b = net.activation(0).rows();
        if (b < 2) return;
        if (gradient == null) gradient = new double[net.parameterCount()];
        net.gradients().readRow(0, gradient);
        into.put("noise_scale", NoiseScale.fromNorms(net.rowGradientNorms(), VectorMath.dot(gradient, gradient)));
    }
}
