package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.UnitHealth;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * {@code --track layers:minibatch=true,steps=N}: the figures of {@link Layers} on the step's own minibatch: the
 * gradient the step descends (the backward pass's, plus the penalty's), the update ratio since the last
 * measurement, and the hidden units' shares from the step's forward pass (with dropout on, as training runs it).
 * Nothing is recomputed: a measurement is a few passes over the weights and the activations.
 */
final class MinibatchLayers extends OnMinibatch {
    private final StepPasses passes;
    /** The weights now and at the last measurement (null before the first). */
    private double[] w, before;

    MinibatchLayers(Track track, TrackLog log, StepPasses passes) {
        super(track, log);
        this.passes = passes;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        double[] now = before != null ? before : new double[net.parameterCount()];
        net.parameters().readRow(0, now);
        Layers.figures(net, now, passes.gradient(net), w, UnitHealth.countsOfLastPass(net), into);
        before = w;
        w = now;
    }
}
