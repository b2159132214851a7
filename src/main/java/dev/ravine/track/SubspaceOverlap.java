package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.Spectrum;

/**
 * {@code --track subspace_overlap}: the share of the gradient's squared norm that lies in the span of the Hessian's
 * top k eigenvectors, |V_k^T g|^2 / |g|^2, on the probe's rows (k = the number of classes by default, {@code k=K}).
 * Gur-Ari et al. (2018) found it near 1 soon after training starts: gradient descent happens in a tiny subspace.
 * The eigenvectors are found to a relative residual {@code tolerance=X} (default 1e-6); after the first measurement
 * Lanczos starts from the sum of the last measurement's eigenvectors, so a subspace that moved little is found again
 * in a few products.
 */
final class SubspaceOverlap extends Instrument {
    private final int k;
    private final double tolerance;
    private double[] start;

    SubspaceOverlap(Network trained, Probe probe, Track track, TrackLog log, int k, double tolerance) {
        super(trained, probe, track, log);
        this.k = k;
        this.tolerance = tolerance;
    }

    @Override
    void measure(java.util.Map<String, Number> into, double lr) {
        double[] w = probe.objective().parameters(), g = new double[w.length];
        Spectrum.Top top = Spectrum.top(LinearOperator.hessian(probe.objective(), w), k, tolerance, start, 0);
        start = sum(top);
        probe.objective().valueAndGradient(w, g);
        into.put("subspace_overlap", overlap(g, top));
    }

    /** The sum of the eigenvectors found: the next measurement's start, close to the span when it moved little. */
    static double[] sum(Spectrum.Top top) {
        double[] s = new double[top.vectors()[0].length];
        for (double[] v : top.vectors()) for (int i = 0; i < v.length; i++) s[i] += v[i];
        return s;
    }

    /** |V_k^T g|^2 / |g|^2 for the top eigenvectors {@code top} and the gradient {@code g}. */
    static double overlap(double[] g, Spectrum.Top top) {
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
