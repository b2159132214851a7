package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.Spectrum;
import dev.ravine.tensor.VectorMath;

/**
 * {@code --track subspace_overlap}: the share of the gradient's squared norm that lies in the span of the Hessian's
 * top k eigenvectors, |V_k^T g|^2 / |g|^2, on the probe's rows (k = the number of classes by default, {@code k=K}).
 * Gur-Ari et al. (2018) found it near 1 soon after training starts: gradient descent happens in a tiny subspace.
 * The eigenvectors are found to a relative residual {@code tolerance=X} (default 1e-6); after the first measurement
 * Lanczos starts from the sum of the last measurement's eigenvectors, so a subspace that moved little is found again
 * in a few products. A {@code sharpness} measuring at the same moment on the same rows reads the top one ({@link
 * SharedTop}).
 */
final class SubspaceOverlap extends Instrument {
    private final SharedTop top;
    /** The gradient, kept from one measurement to the next. */
    private double[] g;

    SubspaceOverlap(Network trained, Probe probe, Track track, TrackLog log, SharedTop top) {
        super(trained, probe, track, log);
        this.top = top;
    }

    @Override
    void measure(long moment, java.util.Map<String, Number> into, double lr) {
        double[] w = probe.weights();
        if (g == null) g = new double[w.length];
        Spectrum.Top found = top.at(moment, LinearOperator.hessian(probe.objective(), w));
        probe.objective().valueAndGradient(w, g);
        into.put("subspace_overlap", overlap(g, found));
    }

    /** |V_k^T g|^2 / |g|^2 for the top eigenvectors {@code top} and the gradient {@code g}. */
    static double overlap(double[] g, Spectrum.Top top) {
        double inside = 0, all = VectorMath.dot(g, g);
        for (double[] v : top.vectors()) {
            double c = VectorMath.dot(v, g);
            inside += c * c;
        }
        return all == 0 ? 0 : inside / all;
    }
}
