package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
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
    private final PreconditionedHessian scaled;
    private final TopEigen.Follower top;

    MinibatchPreconditionedSharpness(Track track, TrackLog log, StepPasses passes, Preconditioned optimizer, TopEigen.Follower top) {
        super(track, log);
        this.passes = passes;
        this.optimizer = optimizer;
        this.scaled = new PreconditionedHessian(optimizer);
        this.top = top;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        LinearOperator a = scaled.of(passes.hessian(net, targets, loss));
        if (a == null) return; // no step taken yet
        into.put("preconditioned_sharpness", top.next(a));
    }

    @Override
    void atRate(Map<String, Number> into, double lr) {
        if (into.containsKey("preconditioned_sharpness")) into.put("preconditioned_threshold", optimizer.stabilityThreshold(lr));
    }
}
