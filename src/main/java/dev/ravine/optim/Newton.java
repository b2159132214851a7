package dev.ravine.optim;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Newton's method with the exact Hessian, damped (Levenberg): each iteration solves (H + damping I) d = -g by an
 * eigendecomposition H = V diag(lambda) V^T and steps x = x + lr d. Near a minimum it converges quadratically;
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
        int n = g.length;
        DMatrixRMaj m = new DMatrixRMaj(h);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) throw new IllegalStateException("eigendecomposition of the Hessian failed");
        double largest = 0;
        for (int k = 0; k < n; k++) largest = Math.max(largest, Math.abs(eig.getEigenvalue(k).getReal()));
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            double curvature = (config.saddleFree() ? Math.abs(lambda) : lambda) + config.damping();
            if (Math.abs(curvature) <= 1e-12 * Math.max(largest, 1e-300)) continue;
            DMatrixRMaj v = eig.getEigenVector(k);
            double coefficient = 0;
            for (int i = 0; i < n; i++) coefficient += v.get(i) * g[i];
            coefficient /= curvature;
            for (int i = 0; i < n; i++) d[i] -= coefficient * v.get(i);
        }
        return d;
    }
}
