package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.optim.Preconditioned;
import dev.ravine.tensor.VectorMath;

/**
 * {@code --track preconditioned_sharpness}: lambda_max(P^-1 H) with P the adaptive optimizer's current diagonal
 * preconditioner, beside the threshold where its steps turn unstable ((2 + 2 beta1) / ((1 - beta1) lr) for Adam):
 * adaptive methods train at that edge (Cohen et al. 2022). Computed as the top eigenvalue of the symmetric
 * P^-1/2 H P^-1/2, which has the same spectrum, warm-started like {@link Sharpness}.
 */
final class PreconditionedSharpness extends Instrument {
    private final Preconditioned optimizer;
    private final TopEigen.Follower top;

    PreconditionedSharpness(Network trained, Probe probe, Track track, TrackLog log, Preconditioned optimizer, TopEigen.Follower top) {
        super(trained, probe, track, log);
        this.optimizer = optimizer;
        this.top = top;
    }

    @Override
    void measure(long moment, java.util.Map<String, Number> into, double lr) {
        double[] p = optimizer.preconditioner();
        if (p == null) return; // no step taken yet
        into.put("preconditioned_sharpness", top.next(scaled(LinearOperator.hessian(probe.objective(), probe.objective().parameters()), p)));
        into.put("preconditioned_threshold", optimizer.stabilityThreshold(lr));
    }

    /** P^-1/2 H P^-1/2 for the diagonal preconditioner {@code p}. */
    static LinearOperator scaled(LinearOperator h, double[] p) {
        double[] scale = new double[p.length], scaled = new double[p.length];
        for (int i = 0; i < p.length; i++) scale[i] = 1 / Math.sqrt(p[i]);
        return LinearOperator.of(p.length, h.epsilon(), h.terms(), (v, out) -> {
            VectorMath.multiply(scale, v, scaled);
            h.apply(scaled, out);
            VectorMath.multiply(scale, out, out);
        });
    }
}
