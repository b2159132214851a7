package dev.ravine.optim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Limited-memory BFGS (Liu &amp; Nocedal 1989; Nocedal &amp; Wright 2006, algorithm 7.4) with PyTorch's
 * {@code torch.optim.LBFGS} semantics, point for point:
 * <pre>
 *   d = -H g, by the two-loop recursion over the last history_size pairs (s = t d, y = g' - g), kept only when
 *       y.s &gt; 1e-10, with H_0 = (y.s / y.y) I
 *   t = min(1, 1 / |g|_1) lr on the very first iteration, lr afterwards, or a strong Wolfe line search from there
 *   x = x + t d
 * </pre>
 * One {@link #step} runs at most max_iter iterations and max_eval evaluations, and stops early when the largest
 * gradient entry is at most tolerance_grad, or the step or the change in f falls below tolerance_change. The
 * history carries over to the next step, as in PyTorch.
 */
public final class Lbfgs extends CountingMinimizer {
    public record Config(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize,
                         String lineSearchFn) {
        /** max_eval 0 stands for PyTorch's None: max_iter * 5 / 4. */
        public static final Config DEFAULTS = new Config(1, 20, 0, 1e-7, 1e-9, 100, "none");

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (maxIter < 1) throw new IllegalArgumentException("max_iter must be at least 1, got " + maxIter);
            if (maxEval < 0) throw new IllegalArgumentException("max_eval must be at least 1, got " + maxEval);
            if (historySize < 1) throw new IllegalArgumentException("history_size must be at least 1, got " + historySize);
            if (!lineSearchFn.equals("none") && !lineSearchFn.equals("strong_wolfe"))
                throw new IllegalArgumentException("only 'strong_wolfe' is supported (or none), got '" + lineSearchFn + "'");
        }

        int evaluationBudget() {
            return maxEval == 0 ? maxIter * 5 / 4 : maxEval;
        }
    }

    private final Config config;
    private final Deque<double[]> oldDirs = new ArrayDeque<>(), oldSteps = new ArrayDeque<>();
    private final Deque<Double> rho = new ArrayDeque<>();
    private double[] d, prevGrad;
    private double t, hDiag = 1, prevLoss;
    private long iterations;

    public Lbfgs(Config config) {
        super("lbfgs", config.lr());
        this.config = config;
    }

    @Override
    public int step(Objective obj, double[] x, Listener listener) {
        int n = x.length;
        double[] grad = new double[n];
        double loss = obj.valueAndGradient(x, grad);
        int currentEvals = 1;
        evaluations++;
        if (maxAbs(grad) <= config.toleranceGrad()) return 0;
        int accepted = 0, nIter = 0;
        while (nIter < config.maxIter()) {
            nIter++;
            iterations++;
            if (iterations == 1) {
                d = negate(grad);
                hDiag = 1;
            } else {
                double[] y = new double[n], s = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = grad[i] - prevGrad[i];
                    s[i] = d[i] * t;
                }
                double ys = StrongWolfe.dot(y, s);
                if (ys > 1e-10) {
                    if (oldDirs.size() == config.historySize()) {
                        oldDirs.removeFirst();
                        oldSteps.removeFirst();
                        rho.removeFirst();
                    }
                    oldDirs.addLast(y);
                    oldSteps.addLast(s);
                    rho.addLast(1 / ys);
                    hDiag = ys / StrongWolfe.dot(y, y);
                }
                d = twoLoop(grad);
            }
            if (prevGrad == null) prevGrad = grad.clone();
            else System.arraycopy(grad, 0, prevGrad, 0, n);
            prevLoss = loss;
            t = iterations == 1 ? Math.min(1, 1 / sumAbs(grad)) * config.lr() : config.lr();
            double gtd = StrongWolfe.dot(grad, d);
            if (gtd > -config.toleranceChange()) break; // not a descent direction any more

            int lsEvals = 0;
            boolean optimal = false;
            if (config.lineSearchFn().equals("strong_wolfe")) {
                StrongWolfe.Result r = StrongWolfe.search(obj, x, t, d, loss, grad, gtd, config.toleranceChange());
                t = r.t();
                loss = r.f();
                grad = r.g();
                lsEvals = r.evaluations();
                for (int i = 0; i < n; i++) x[i] += t * d[i];
                optimal = maxAbs(grad) <= config.toleranceGrad();
            } else {
                for (int i = 0; i < n; i++) x[i] += t * d[i];
                if (nIter != config.maxIter()) {
                    grad = new double[n];
                    loss = obj.valueAndGradient(x, grad);
                    optimal = maxAbs(grad) <= config.toleranceGrad();
                    lsEvals = 1;
                }
            }
            currentEvals += lsEvals;
            evaluations += lsEvals;
            accepted++;
            if (!listener.accepted(x, loss, evaluations)) break;
            if (nIter == config.maxIter() || currentEvals >= config.evaluationBudget() || optimal) break;
            double stepMax = 0;
            for (double v : d) stepMax = Math.max(stepMax, Math.abs(v * t));
            if (stepMax <= config.toleranceChange() || Math.abs(loss - prevLoss) < config.toleranceChange()) break;
        }
        return accepted;
    }

    /** PyTorch's state: d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss, n_iter (the history flattened). */
    @Override
    protected void save(java.util.Map<String, double[]> out) {
        out.put("scalars", new double[] {t, hDiag, prevLoss, iterations});
        if (d != null) out.put("d", d.clone());
        if (prevGrad != null) out.put("prev_flat_grad", prevGrad.clone());
        out.put("old_dirs", flat(oldDirs));
        out.put("old_stps", flat(oldSteps));
        out.put("ro", rho.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    protected void load(java.util.Map<String, double[]> state) {
        double[] s = state.get("scalars");
        t = s[0];
        hDiag = s[1];
        prevLoss = s[2];
        iterations = (long) s[3];
        d = state.containsKey("d") ? state.get("d").clone() : null;
        prevGrad = state.containsKey("prev_flat_grad") ? state.get("prev_flat_grad").clone() : null;
        double[] r = state.get("ro");
        oldDirs.clear();
        oldSteps.clear();
        rho.clear();
        int n = r.length == 0 ? 0 : state.get("old_dirs").length / r.length;
        for (int k = 0; k < r.length; k++) {
            oldDirs.addLast(java.util.Arrays.copyOfRange(state.get("old_dirs"), k * n, (k + 1) * n));
            oldSteps.addLast(java.util.Arrays.copyOfRange(state.get("old_stps"), k * n, (k + 1) * n));
            rho.addLast(r[k]);
        }
    }

    private static double[] flat(Deque<double[]> vectors) {
        return vectors.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** -H g by the two-loop recursion (Nocedal &amp; Wright algorithm 7.4). */
    private double[] twoLoop(double[] grad) {
        int k = oldDirs.size();
        List<double[]> ys = new ArrayList<>(oldDirs), ss = new ArrayList<>(oldSteps);
        List<Double> rs = new ArrayList<>(rho);
        double[] alpha = new double[k], q = negate(grad);
        for (int i = k - 1; i >= 0; i--) {
            alpha[i] = StrongWolfe.dot(ss.get(i), q) * rs.get(i);
            double[] y = ys.get(i);
            for (int j = 0; j < q.length; j++) q[j] += -alpha[i] * y[j];
        }
        double[] r = new double[q.length];
        for (int j = 0; j < q.length; j++) r[j] = q[j] * hDiag;
        for (int i = 0; i < k; i++) {
            double beta = StrongWolfe.dot(ys.get(i), r) * rs.get(i);
            double[] s = ss.get(i);
            for (int j = 0; j < r.length; j++) r[j] += (alpha[i] - beta) * s[j];
        }
        return r;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = -v[i];
        return out;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double x : v) s += Math.abs(x);
        return s;
    }
}
