package dev.ravine.optim;

import dev.ravine.curvature.SpectralVector;

/**
 * Newton's method with the exact Hessian, damped (Levenberg): each iteration solves (H + damping I) d = -g by an
 * eigendecomposition H = V diag(lambda) V^T ({@link SpectralVector}: g in H's eigenvectors, in O(n^2) beyond the
 * reduction to a tridiagonal) and steps x = x + lr d. Near a minimum it converges quadratically;
 * near a saddle it is attracted to it, since it rescales every direction by 1/lambda, negative ones included.
 * {@code saddle_free=true} uses |H| = V diag(|lambda|) V^T instead (Dauphin et al. 2014), which turns the steps
 * along negative curvature around, so it escapes saddles. Directions whose curvature is within 1e-12 of the
 * largest are left out (a pseudo-inverse). The Hessian costs one Hessian-vector product per parameter, so this is
 * for small models.
 */
public final class Newton extends CountingMinimizer {
    public record Config(double lr, double damping, boolean saddleFree, int maxIter, double toleranceGrad) {
        public static final Config DEFAULTS = new Config(1, 0, false, 1, 1e-7);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(damping >= 0)) throw new IllegalArgumentException("damping must be non-negative, got " + damping);
            if (maxIter < 1) throw new IllegalArgumentException("max_iter must be at least 1, got " + maxIter);
        }
    }

    private final Config config;

    public Newton(Config config) {
        super("newton", config.lr());
        this.config = config;
    }

    /**
     * An iteration holds the n x n Hessian twice (its columns, and the reduction's symmetric copy): refused where that
     * passes three quarters of the heap.
     */
    @Override
    public String refusal(int parameters) {
        double bytes = 16.0 * parameters * parameters, heap = Runtime.getRuntime().maxMemory();
        if (bytes <= 0.75 * heap) return null;
        return String.format("newton holds the %,d x %,d Hessian twice, %.1f GB, and this JVM's heap is %.1f GB (-Xmx); "
                + "use a model with fewer parameters, or lbfgs, cg or ngd, which need no dense Hessian", parameters, parameters, bytes / 1e9, heap / 1e9);
    }

    @Override
    public int step(Objective obj, double[] x, Listener listener) {
        int n = x.length, accepted = 0;
        double[] grad = new double[n];
        for (int iter = 0; iter < config.maxIter(); iter++) {
            double f = obj.valueAndGradient(x, grad);
            evaluations++;
            if (Lbfgs.maxAbs(grad) <= config.toleranceGrad()) break;
            double[] d = direction(obj.hessian(x), grad);
            for (int i = 0; i < n; i++) x[i] += config.lr() * d[i];
            accepted++;
            if (!listener.accepted(x, f, evaluations)) break;
        }
        return accepted;
    }

    /** -(H + damping I)^+ g, or -(|H| + damping I)^+ g when saddle-free. */
    double[] direction(double[][] h, double[] g) {
        SpectralVector spectral = SpectralVector.of(h, g);
        double largest = 0;
        for (double lambda : spectral.eigenvalues()) largest = Math.max(largest, Math.abs(lambda));
        double cut = 1e-12 * Math.max(largest, 1e-300);
        return spectral.apply(lambda -> {
            double curvature = (config.saddleFree() ? Math.abs(lambda) : lambda) + config.damping();
            return Math.abs(curvature) <= cut ? 0 : -1 / curvature;
        });
    }
}
