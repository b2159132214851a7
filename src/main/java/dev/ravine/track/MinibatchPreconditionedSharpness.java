package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.TopEigen;
import dev.ravine.optim.Preconditioned;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * {@code --track preconditioned_sharpness:minibatch=true,steps=N}: lambda_max(P^-1 H) as {@link
 * PreconditionedSharpness} measures it, with H on the step's own minibatch (products reusing its passes) and P the
 * preconditioner the step is about to divide by (its state after the step before).
 */
final class MinibatchPreconditionedSharpness extends OnMinibatch {
    private final StepPasses passes;
    private final Preconditioned optimizer;
    private final TopEigen.Follower top;

    MinibatchPreconditionedSharpness(Track track, TrackLog log, StepPasses passes, Preconditioned optimizer, TopEigen.Follower top) {
        super(track, log);
        this.passes = passes;
        this.optimizer = optimizer;
        this.top = top;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        double[] p = optimizer.preconditioner();
        if (p == null) return; // no step taken yet
        into.put("preconditioned_sharpness", top.next(PreconditionedSharpness.scaled(passes.hessian(net, targets, loss), p)));
    }

    @Override
    void atRate(Map<String, Number> into, double lr) {
        if (into.containsKey("preconditioned_sharpness")) into.put("preconditioned_threshold", optimizer.stabilityThreshold(lr));
    }
}
