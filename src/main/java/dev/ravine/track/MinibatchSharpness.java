package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * {@code --track sharpness:minibatch=true,steps=N}: lambda_max of the Hessian of the loss the step descends, on the
 * step's own minibatch. Each Hessian-vector product reuses the minibatch's forward and backward passes, so it costs
 * only the R-operator's passes (about two training steps of arithmetic), where the probe behind plain
 * {@code sharpness} runs a float64 copy of the model. Lanczos starts from the last measurement's eigenvector; at a
 * step where a minibatch {@code subspace_overlap} measures, its top eigenpair is the measurement ({@link SharedTop}).
 */
final class MinibatchSharpness extends OnMinibatch {
    private final StepPasses passes;
    private final TopEigen.Follower top;
    /** The minibatch overlap's eigenpairs, where a minibatch {@code subspace_overlap} is tracked too; else null. */
    private final SharedTop shared;

    MinibatchSharpness(Track track, TrackLog log, StepPasses passes, TopEigen.Follower top, SharedTop shared) {
        super(track, log);
        this.passes = passes;
        this.top = top;
        this.shared = shared;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        LinearOperator hessian = passes.hessian(net, targets, loss);
        into.put("sharpness", shared != null ? shared.sharpness(step, hessian, top) : top.next(hessian));
    }

    @Override
    void atRate(Map<String, Number> into, double lr) {
        into.put("two_over_lr", 2 / lr);
    }
}
