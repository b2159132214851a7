package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Penalty;
import dev.ravine.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --track sharpness:minibatch=true,steps=N}: lambda_max of the Hessian of the loss the step descends, on the
 * step's own minibatch, at the weights it starts from (the quantity Cockpit tracks), in the training dtype. Each
 * Hessian-vector product reuses the minibatch's forward and backward passes that training has just made, so it
 * costs only the R-operator's passes (about 1.3 training steps of arithmetic), where the probe behind plain
 * {@code sharpness} runs a float64 copy of the model. Lanczos starts from the last measurement's eigenvector.
 */
final class MinibatchSharpness implements Trainer.Listener {
    private final Track track;
    private final TrackLog log;
    private final TopEigen.Follower top;
    /** The penalty's own curvature, added to each product; null for none. */
    private final Penalty.On penalty;
    private Tensor direction, product;
    /** The figures measured before the current step, until {@link #step} knows its rate. */
    private Map<String, Number> pending;
    private Map<String, Number> last = Map.of();
    private int lastEpoch = -1;

    MinibatchSharpness(Track track, TrackLog log, TopEigen.Follower top, Penalty.On penalty) {
        this.track = track;
        this.log = log;
        this.top = top;
        this.penalty = penalty;
    }

    @Override
    public void passes(int epoch, long step, Network net, Tensor targets, Loss loss) {
        if (step % track.steps() != 0) return;
        int n = net.parameterCount();
        if (direction == null) {
            direction = Tensor.zeros(net.dtype, 1, n);
            product = Tensor.zeros(net.dtype, 1, n);
        }
        double epsilon = net.dtype == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        LinearOperator h = LinearOperator.of(n, epsilon, (v, hv) -> {
            direction.writeRow(0, v);
            net.hessianVector(targets, loss, direction, product, true);
            product.readRow(0, hv);
            if (penalty != null) penalty.addHessianVector(v, hv);
        });
        pending = new LinkedHashMap<>();
        pending.put("sharpness", top.next(h));
    }

    @Override
    public void step(int epoch, long step, double lr) {
        if (pending == null) return;
        pending.put("two_over_lr", 2 / lr);
        log.add(step, epoch, pending);
        last = pending;
        lastEpoch = epoch;
        pending = null;
    }

    @Override
    public void epoch(EpochMetrics m) {
        if (lastEpoch == m.epoch()) m.diagnostics().putAll(last);
    }
}
