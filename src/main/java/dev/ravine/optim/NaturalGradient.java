package dev.ravine.optim;

/**
 * Natural gradient descent (Amari 1998): steepest descent in the geometry of the model's output distribution,
 * d = -(F + damping I)^-1 g with F the Fisher information, x = x + lr d. The solve is matrix-free, by linear
 * conjugate gradients on Fisher-vector products, so F is never formed. {@code fisher=true} uses the true Fisher
 * (for softmax cross-entropy and mean squared error, the Gauss-Newton matrix J^T H_L J, through the R-operator);
 * {@code fisher=empirical} the mean outer product of per-example gradients, which Kunstner et al. (2019) show can
 * point the wrong way far from a minimum. Damping keeps the solve well posed where F is singular (always, for an
 * over-parameterized network).
 */
public final class NaturalGradient extends CountingMinimizer {
    public record Config(double lr, double damping, String fisher, int maxIter, int cgIters, double toleranceGrad) {
        public static final Config DEFAULTS = new Config(1, 1e-3, "true", 1, 50, 1e-7);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(damping > 0)) throw new IllegalArgumentException("damping must be positive, got " + damping);
            if (!fisher.equals("true") && !fisher.equals("empirical"))
                throw new IllegalArgumentException("fisher must be true or empirical, got '" + fisher + "'");
            if (maxIter < 1) throw new IllegalArgumentException("max_iter must be at least 1, got " + maxIter);
            if (cgIters < 1) throw new IllegalArgumentException("cg_iters must be at least 1, got " + cgIters);
        }
    }

    private final Config config;

    public NaturalGradient(Config config) {
        super("ngd", config.lr());
        this.config = config;
    }

    @Override
    public int step(Objective obj, double[] x, Listener listener) {
        int n = x.length, accepted = 0;
        boolean empirical = config.fisher().equals("empirical");
        double[] grad = new double[n];
        for (int iter = 0; iter < config.maxIter(); iter++) {
            double f = obj.valueAndGradient(x, grad);
            evaluations++;
            if (Lbfgs.maxAbs(grad) <= config.toleranceGrad()) break;
            double[] point = x.clone();
            double[] d = LinearSolve.conjugateGradient((v, out) -> {
                obj.fisherVector(point, v, out, empirical);
                for (int i = 0; i < n; i++) out[i] += config.damping() * v[i];
            }, grad, config.cgIters(), 1e-10);
            for (int i = 0; i < n; i++) x[i] -= config.lr() * d[i];
            accepted++;
            if (!listener.accepted(x, f, evaluations)) break;
        }
        return accepted;
    }
}
