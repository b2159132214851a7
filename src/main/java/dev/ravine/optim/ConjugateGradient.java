package dev.ravine.optim;

/**
 * Nonlinear conjugate gradients (Nocedal &amp; Wright 2006, section 5.2) with a strong Wolfe line search:
 * <pre>
 *   d_0 = -g_0,   d_k = -g_k + beta_k d_{k-1}
 *   beta_k = max(0, g_k.(g_k - g_{k-1}) / |g_{k-1}|^2)    Polak-Ribiere+ (default; the max restarts it by itself)
 *   beta_k = |g_k|^2 / |g_{k-1}|^2                        Fletcher-Reeves (beta=fletcher_reeves)
 * </pre>
 * It restarts with d = -g every {@code restart} iterations (0: the dimension) and whenever d is not a descent
 * direction. The first trial step is min(1, 1/|g|_1) lr, later ones t_{k-1} g_{k-1}.d_{k-1} / g_k.d_k (N&amp;W 3.60);
 * the line search uses c2 = 0.1, as N&amp;W advise for CG. Budgets and stopping rules are those of {@link Lbfgs}.
 */
public final class ConjugateGradient extends CountingMinimizer {
    public record Config(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, String beta, int restart) {
        public static final Config DEFAULTS = new Config(1, 20, 0, 1e-7, 1e-9, "polak_ribiere", 0);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (maxIter < 1) throw new IllegalArgumentException("max_iter must be at least 1, got " + maxIter);
            if (maxEval < 0) throw new IllegalArgumentException("max_eval must be at least 1, got " + maxEval);
            if (restart < 0) throw new IllegalArgumentException("restart must be 0 or more, got " + restart);
            if (!beta.equals("polak_ribiere") && !beta.equals("fletcher_reeves"))
                throw new IllegalArgumentException("beta must be polak_ribiere or fletcher_reeves, got '" + beta + "'");
        }
    }

    static final double C2 = 0.1;

    private final Config config;
    private double[] d, prevGrad;
    private double t, prevGtd;
    private long iterations, sinceRestart;

    public ConjugateGradient(Config config) {
        super("cg", config.lr());
        this.config = config;
    }

    @Override
    public int step(Objective obj, double[] x, Listener listener) {
        int n = x.length, restartEvery = config.restart() == 0 ? n : config.restart();
        double[] grad = new double[n];
        double loss = obj.valueAndGradient(x, grad);
        int currentEvals = 1;
        evaluations++;
        if (Lbfgs.maxAbs(grad) <= config.toleranceGrad()) return 0;
        int budget = config.maxEval() == 0 ? config.maxIter() * 5 / 4 : config.maxEval();
        int accepted = 0;
        for (int nIter = 1; nIter <= config.maxIter(); nIter++) {
            iterations++;
            boolean restart = iterations == 1 || sinceRestart >= restartEvery;
            if (!restart) {
                double gg = StrongWolfe.dot(prevGrad, prevGrad), beta;
                if (config.beta().equals("fletcher_reeves")) beta = StrongWolfe.dot(grad, grad) / gg;
                else {
                    double num = 0;
                    for (int i = 0; i < n; i++) num += grad[i] * (grad[i] - prevGrad[i]);
                    beta = Math.max(0, num / gg);
                }
                for (int i = 0; i < n; i++) d[i] = -grad[i] + beta * d[i];
                if (StrongWolfe.dot(grad, d) >= 0) restart = true; // lost descent: start over
            }
            if (restart) {
                d = new double[n];
                for (int i = 0; i < n; i++) d[i] = -grad[i];
                sinceRestart = 0;
            }
            sinceRestart++;
            double gtd = StrongWolfe.dot(grad, d);
            if (gtd > -config.toleranceChange()) break;
            t = iterations == 1 ? Math.min(1, 1 / sumAbs(grad)) * config.lr()
                    : restart ? config.lr() * Math.min(1, 1 / sumAbs(grad)) : t * prevGtd / gtd;
            prevGrad = grad.clone();
            prevGtd = gtd;
            double prevLoss = loss;
            StrongWolfe.Result r = StrongWolfe.search(obj, x, t, d, loss, grad, gtd, config.toleranceChange(), C2);
            t = r.t();
            loss = r.f();
            grad = r.g();
            for (int i = 0; i < n; i++) x[i] += t * d[i];
            currentEvals += r.evaluations();
            evaluations += r.evaluations();
            accepted++;
            if (!listener.accepted(x, loss, evaluations)) break;
            if (currentEvals >= budget || Lbfgs.maxAbs(grad) <= config.toleranceGrad()) break;
            double stepMax = 0;
            for (double v : d) stepMax = Math.max(stepMax, Math.abs(v * t));
            if (stepMax <= config.toleranceChange() || Math.abs(loss - prevLoss) < config.toleranceChange()) break;
        }
        return accepted;
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double x : v) s += Math.abs(x);
        return s;
    }

    @Override
    protected void save(java.util.Map<String, double[]> out) {
        out.put("scalars", new double[] {t, prevGtd, iterations, sinceRestart});
        if (d != null) out.put("d", d.clone());
        if (prevGrad != null) out.put("prev_grad", prevGrad.clone());
    }

    @Override
    protected void load(java.util.Map<String, double[]> state) {
        double[] s = state.get("scalars");
        t = s[0];
        prevGtd = s[1];
        iterations = (long) s[2];
        sinceRestart = (long) s[3];
        d = state.containsKey("d") ? state.get("d").clone() : null;
        prevGrad = state.containsKey("prev_grad") ? state.get("prev_grad").clone() : null;
    }
}
