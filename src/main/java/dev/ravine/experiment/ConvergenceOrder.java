package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Newton;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.VectorMath;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.Penalty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The orders of convergence the lectures contrast (Nocedal &amp; Wright 2006, 3.3): near a minimum with Hessian H,
 * gradient descent at the step 2/(L + mu) shrinks the error by (kappa - 1)/(kappa + 1) a step (L, mu the extreme
 * eigenvalues of H, kappa = L/mu), a fixed number of digits whatever the error, while Newton's method, which solves
 * the local quadratic model, squares it: |g_{k+1}| ~ C |g_k|^2, the digits doubling each step. On softmax regression
 * with an L2 penalty (a strongly convex objective; standardized breast_cancer by default), from the point where
 * L-BFGS from PyTorch's initialization first has |g| &lt; {@code NEAR}, Newton runs to its floor in float64 and
 * gradient descent at the step its Hessian at the solution sets; each run's gradient norms, Newton's order estimates
 * log(|g_{k+1}|/|g_k|) / log(|g_k|/|g_{k-1}|), and gradient descent's last factors beside (kappa - 1)/(kappa + 1).
 */
public final class ConvergenceOrder implements Experiment {
    /** The L2 penalty alpha/2 |W|^2 that makes the minimum unique and the objective strongly convex. */
    static final double ALPHA = 0.01;
    static final int NEWTON_STEPS = 12, DESCENT_STEPS = 50_000;
    /** Both methods start where L-BFGS from PyTorch's initialization first brings the gradient's norm below this. */
    static final double NEAR = 1e-2;
    /** Converged: the gradient's norm below this; the order estimates use steps above it (float64 rounding sits near 1e-15). */
    static final double CONVERGED = 1e-10;
    /**
     * Newton's last order estimate at least this; gradient descent's digits a step, -log10 of its last factor, within
     * this share of (kappa - 1)/(kappa + 1)'s. The slowest modes share that factor only in the limit: the next ones
     * still fade out of the norm over the run's last tenth, which makes it a little smaller (2% here).
     */
    static final double QUADRATIC = 1.7, RATE_MATCH = 0.05;
    private final double damping;

    public ConvergenceOrder() {
        this(0);
    }

    /** Newton's Levenberg damping: (H + damping I) d = -g. A fixed damping makes each step only a partial solve, and the rate linear. */
    public ConvergenceOrder(double damping) {
        this.damping = damping;
    }

    @Override
    public String name() {
        return "convergence-order";
    }

    @Override
    public String claim() {
        return "near a minimum Newton's method converges quadratically, the digits of accuracy doubling each step, while gradient descent "
                + "converges linearly, by (kappa - 1)/(kappa + 1) a step at its best step size, kappa the Hessian's condition number there";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + d.features() + "-" + d.outputs() + ":identity"), d.features(), d.outputs(), DType.FLOAT64,
                Math.min(d.rows(), 5000));
        Experiment.fitsFullSpectrum(name(), data, mlp.network.parameterCount());
        Init.TORCH.apply(mlp, seed);
        FullBatchObjective f = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, new Penalty(0, ALPHA).on(mlp.network), false);
        // near the minimum, where the claim is made: full Newton steps from far away can overshoot (on digits they do)
        double[] start = f.parameters();
        Minimizer approach = Minimizers.parse("lbfgs:line_search_fn=strong_wolfe,max_iter=1000,tolerance_grad=0,tolerance_change=0");
        approach.step(f, start, (point, value, evaluations) -> gradientNorm(f, point) >= NEAR);

        // Newton, until converged
        double[] x = start.clone();
        List<Double> newtonNorms = new ArrayList<>(List.of(gradientNorm(f, x)));
        Newton newton = new Newton(new Newton.Config(1, damping, false, NEWTON_STEPS, 0));
        newton.step(f, x, (point, value, evaluations) -> {
            double norm = gradientNorm(f, point);
            newtonNorms.add(norm);
            return norm >= CONVERGED;
        });
        double[] solution = x.clone();
        double[] newtonOrders = orders(newtonNorms);

        // gradient descent at 2/(L + mu) of the Hessian at the solution; mu the smallest eigenvalue that is not the
        // softmax's null direction (the same shift of every class's bias leaves the loss unchanged)
        double[] eigenvalues = Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(f, solution));
        double largest = eigenvalues[eigenvalues.length - 1], smallest = largest;
        for (double e : eigenvalues) if (e > 1e-9 * largest) smallest = Math.min(smallest, e);
        double kappa = largest / smallest, lr = 2 / (largest + smallest), bound = (kappa - 1) / (kappa + 1);
        double[] y = start.clone(), g = new double[y.length];
        List<Double> descentNorms = new ArrayList<>();
        for (int k = 0; k <= DESCENT_STEPS; k++) {
            f.valueAndGradient(y, g);
            double norm = Math.sqrt(VectorMath.dot(g, g));
            descentNorms.add(norm);
            if (norm < CONVERGED) break;
            for (int i = 0; i < y.length; i++) y[i] -= lr * g[i];
        }
        int descentSteps = descentNorms.size() - 1;
        // the last factors: |g_{k+1}| / |g_k| over the final tenth of the run, as a geometric mean
        int tail = Math.max(1, descentSteps / 10);
        double lastFactor = Math.pow(descentNorms.get(descentSteps) / descentNorms.get(descentSteps - tail), 1.0 / tail);

        int newtonSteps = firstBelow(newtonNorms, CONVERGED);
        double lastOrder = Double.NaN;
        for (int k = 0; k < newtonOrders.length; k++) if (!Double.isNaN(newtonOrders[k])) lastOrder = newtonOrders[k];
        List<String> wrong = new ArrayList<>();
        if (newtonSteps < 0) wrong.add("Newton's gradient did not fall below " + CONVERGED + " in " + NEWTON_STEPS + " steps");
        if (!(lastOrder >= QUADRATIC)) wrong.add(String.format(Locale.ROOT, "Newton's last order estimate is %.3g, not near 2", lastOrder));
        if (descentNorms.get(descentSteps) >= CONVERGED) wrong.add("gradient descent did not converge in " + DESCENT_STEPS + " steps");
        else if (!(Math.abs(Math.log(lastFactor) / Math.log(bound) - 1) <= RATE_MATCH))
            wrong.add(String.format(Locale.ROOT, "gradient descent's last factor %.5f is not (kappa - 1)/(kappa + 1) = %.5f", lastFactor, bound));
        if (!(newtonSteps >= 0 && newtonSteps * 10 < descentSteps)) wrong.add("Newton did not arrive in a tenth of gradient descent's steps");

        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("parameters", start.length);
        numbers.put("l2", ALPHA);
        numbers.put("newton_damping", damping);
        numbers.put("hessian_at_solution", Experiment.inOrder("lambda_max", largest, "lambda_min", smallest, "kappa", kappa));
        numbers.put("newton", Experiment.inOrder("gradient_norms", toArray(newtonNorms), "order_estimates", newtonOrders, "steps_to_converge", newtonSteps));
        numbers.put("gradient_descent", Experiment.inOrder("lr", lr, "steps_to_converge", descentSteps, "last_factor", lastFactor, "bound", bound));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "Newton reaches |g| < %.0e in %d steps, its last order estimate %.2f; "
                + "gradient descent at 2/(L + mu) takes %d, its last factor %.5f beside (kappa - 1)/(kappa + 1) = %.5f (kappa = %.0f)",
                CONVERGED, newtonSteps, lastOrder, descentSteps, lastFactor, bound, kappa));

        LineChart c = new LineChart("Gradient norm by iteration: softmax regression with L2 " + Experiment.num(ALPHA), "iteration (log)",
                "|gradient| (log)", "Newton's digits double each step (quadratic); gradient descent gains a fixed share of a digit each step "
                        + "(linear), set by kappa.").logX().logY();
        c.add("Newton" + (damping > 0 ? " (damping " + Experiment.num(damping) + ")" : ""), iterations(newtonNorms.size()), toArray(newtonNorms));
        c.add("gradient descent (lr 2/(L + mu))", iterations(descentNorms.size()), toArray(descentNorms));
        return new Result(verdict, numbers, List.of(c));
    }

    private static double gradientNorm(FullBatchObjective f, double[] x) {
        double[] g = new double[x.length];
        f.valueAndGradient(x, g);
        return Math.sqrt(VectorMath.dot(g, g));
    }

    /**
     * log(|g_{k+1}|/|g_k|) / log(|g_k|/|g_{k-1}|) at each k with all three norms at or above {@link #CONVERGED}
     * (below it rounding, not the method, sets the norm); NaN elsewhere.
     */
    static double[] orders(List<Double> norms) {
        double[] p = new double[norms.size()];
        java.util.Arrays.fill(p, Double.NaN);
        for (int k = 1; k + 1 < norms.size(); k++) {
            double before = norms.get(k - 1), now = norms.get(k), after = norms.get(k + 1);
            if (after >= CONVERGED && now < before) p[k] = Math.log(after / now) / Math.log(now / before);
        }
        return p;
    }

    /** The first iteration whose norm is below {@code level}, or -1. */
    private static int firstBelow(List<Double> norms, double level) {
        for (int k = 0; k < norms.size(); k++) if (norms.get(k) < level) return k;
        return -1;
    }

    /** 1, 2, ..., n: iteration k + 1 for the k-th norm, so a log axis keeps the start. */
    private static double[] iterations(int n) {
        double[] k = new double[n];
        for (int i = 0; i < n; i++) k[i] = i + 1;
        return k;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
