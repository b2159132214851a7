package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;

/**
 * {@code --track sharpness}: lambda_max of the training loss's Hessian on fixed training rows (all of them by default,
 * {@code rows=N} for the first N), written beside 2/lr, the largest step plain gradient descent survives along the
 * sharpest direction. Under full-batch gradient descent the sharpness rises until it meets 2/lr and then hovers there
 * (the edge of stability, Cohen et al. 2021). Each measurement starts Lanczos from the last one's eigenvector; at a
 * moment where {@code subspace_overlap} measures on the same rows, its top eigenpair is the measurement ({@link
 * SharedTop}).
 */
final class Sharpness extends Instrument {
    private final TopEigen.Follower top;
    /** The overlap's eigenpairs, where {@code subspace_overlap} is tracked on the same probe; else null. */
    private final SharedTop shared;

    Sharpness(Network trained, Probe probe, Track track, TrackLog log, TopEigen.Follower top, SharedTop shared) {
        super(trained, probe, track, log);
        this.top = top;
        this.shared = shared;
    }

    @Override
    void measure(long moment, java.util.Map<String, Number> into, double lr) {
        LinearOperator hessian = LinearOperator.hessian(probe.objective(), probe.weights());
        into.put("sharpness", shared != null ? shared.sharpness(moment, hessian, top) : top.next(hessian));
        into.put("two_over_lr", 2 / lr);
    }
}
