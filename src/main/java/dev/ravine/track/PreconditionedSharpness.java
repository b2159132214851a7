package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.optim.Preconditioned;

/**
 * {@code --track preconditioned_sharpness}: lambda_max(P^-1 H) with P the adaptive optimizer's current diagonal
 * preconditioner, beside the threshold where its steps turn unstable ((2 + 2 beta1) / ((1 - beta1) lr) for Adam):
 * adaptive methods train at that edge (Cohen et al. 2022). Computed as the top eigenvalue of the symmetric
 * P^-1/2 H P^-1/2, which has the same spectrum, warm-started like {@link Sharpness}.
 */
final class PreconditionedSharpness extends Instrument {
    private final Preconditioned optimizer;
    private final PreconditionedHessian scaled;
    private final TopEigen.Follower top;

    PreconditionedSharpness(Network trained, Probe probe, Track track, TrackLog log, Preconditioned optimizer, TopEigen.Follower top) {
        super(trained, probe, track, log);
        this.optimizer = optimizer;
        this.scaled = new PreconditionedHessian(optimizer);
        this.top = top;
    }

    @Override
    void measure(long moment, java.util.Map<String, Number> into, double lr) {
        LinearOperator a = scaled.of(LinearOperator.hessian(probe.objective(), probe.weights()));
        if (a == null) return; // no step taken yet
        into.put("preconditioned_sharpness", top.next(a));
        into.put("preconditioned_threshold", optimizer.stabilityThreshold(lr));
    }
}
