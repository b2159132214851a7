package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.train.EpochMetrics;
import java.util.SplittableRandom;

/**
 * {@code --track sharpness}: lambda_max of the training loss's Hessian on fixed training rows (all of them by default,
 * {@code rows=N} for the first N), written beside 2/lr, the largest step plain gradient descent survives along the
 * sharpest direction. Under full-batch gradient descent the sharpness rises until it meets 2/lr and then hovers there
 * (the edge of stability, Cohen et al. 2021). Each measurement starts Lanczos from the last one's eigenvector.
 */
final class Sharpness extends Instrument {
    private final double tolerance;
    private double[] previous;

    Sharpness(Network trained, Probe probe, int every, double tolerance) {
        super(trained, probe, every);
        this.tolerance = tolerance;
    }

    @Override
    void measure(EpochMetrics m) {
        double[] w = probe.objective.parameters();
        LinearOperator h = LinearOperator.hessian(probe.objective, w);
        if (previous == null) {
            SplittableRandom rng = new SplittableRandom(m.epoch());
            previous = new double[w.length];
            for (int i = 0; i < w.length; i++) previous[i] = rng.nextDouble() < 0.5 ? -1 : 1;
        }
        TopEigen.Result r = TopEigen.of(h, previous, tolerance);
        previous = r.vector();
        m.diagnostics().put("sharpness", r.value());
        m.diagnostics().put("two_over_lr", 2 / m.lr());
    }
}
