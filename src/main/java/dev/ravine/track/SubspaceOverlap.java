package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.Spectrum;
import dev.ravine.train.EpochMetrics;

/**
 * {@code --track subspace_overlap}: the share of the gradient's squared norm that lies in the span of the Hessian's
 * top k eigenvectors, |V_k^T g|^2 / |g|^2, on the probe's rows (k = the number of classes by default, {@code k=K}).
 * Gur-Ari et al. (2018) found it near 1 soon after training starts: gradient descent happens in a tiny subspace.
 */
final class SubspaceOverlap extends Instrument {
    private final int k;

    SubspaceOverlap(Network trained, Probe probe, int every, int k) {
        super(trained, probe, every);
        this.k = k;
    }

    @Override
    void measure(EpochMetrics m) {
        m.diagnostics().put("subspace_overlap", of(probe, k));
    }

    static double of(Probe probe, int k) {
        double[] w = probe.objective.parameters(), g = new double[w.length];
        probe.objective.valueAndGradient(w, g);
        LinearOperator h = LinearOperator.hessian(probe.objective, w);
        Spectrum.Top top = Spectrum.top(h, k, 1e-6, null, 0);
        double inside = 0, all = 0;
        for (double v : g) all += v * v;
        for (double[] v : top.vectors()) {
            double c = 0;
            for (int i = 0; i < g.length; i++) c += v[i] * g[i];
            inside += c * c;
        }
        return all == 0 ? 0 : inside / all;
    }
}
