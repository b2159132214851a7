package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * {@code --track alpha:steps=N}: where a step lands in the valley along its own direction, Cockpit's normalized step
 * length (Schneider et al. 2021, after Mahsereci &amp; Hennig 2017). On the step's minibatch the loss along the update
 * d = theta_{t+1} - theta_t is modelled by the parabola through the start's value f0 and slope f0' = g . d and the
 * end's value f1: q(tau) = f0 + f0' tau + (f1 - f0 - f0') tau^2 for tau in [0, 1]. With tau* its minimum,
 * alpha = 1/tau* - 1 = 1 - 2 (f1 - f0) / f0': -1 for a step that hardly moves, 0 for one that lands on the minimum,
 * 1 for one that lands as high on the far side as it started; above 1 it climbs the far wall, below -1 the loss
 * curved downward along the step. On a quadratic with gradient descent at rate lr, alpha = lr g'Hg / g'g - 1.
 * Cockpit fits both ends' slopes, weighting each value by its noise over the batch; the end's slope is left out here,
 * and with it any weighting: the parabola is exactly determined. A measurement is one forward pass at the new weights
 * on the same rows (the penalty, when there is one, counts at both ends).
 */
final class MinibatchAlpha extends OnMinibatch {
    private final StepPasses passes;
    /** The weights the step starts from, the step's gradient and the loss there, from {@link #measure}; the weights it ends at. */
    private double[] start, gradient, end;
    private double before;
    private Network net;
    private Tensor targets;
    private Loss loss;

    MinibatchAlpha(Track track, TrackLog log, StepPasses passes) {
        super(track, log);
        this.passes = passes;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        int n = net.parameterCount();
        if (start == null) {
            start = new double[n];
            gradient = new double[n];
            end = new double[n];
        }
        net.parameters().readRow(0, start);
        System.arraycopy(passes.gradient(net), 0, gradient, 0, n);
        before = passes.value(net, targets, loss);
        this.net = net;
        this.targets = targets;
        this.loss = loss;
    }

    @Override
    void atRate(Map<String, Number> into, double lr) {
        net.parameters().readRow(0, end);
        double slope = 0;
        for (int i = 0; i < end.length; i++) slope += gradient[i] * (end[i] - start[i]);
        net.forward(false); // the step's rows are still the input: no dropout or batch norm, so the function training evaluates
        double after = passes.value(net, targets, loss);
        net = null;
        targets = null;
        loss = null;
        if (slope != 0) into.put("alpha", alpha(before, slope, after));
    }

    /** 1 - 2 (f1 - f0) / f0': the normalized step length from the start's value and slope and the end's value. */
    static double alpha(double f0, double slope, double f1) {
        return 1 - 2 * (f1 - f0) / slope;
    }
}
