package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.nn.MeanSquaredError;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.optim.LinearSolve;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;
import dev.ravine.train.FullBatchObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition number kappa = L / mu of a quadratic sets how fast first-order methods converge (Nocedal &amp;
 * Wright 2006, sections 3.3 and 5.1; Polyak 1964). Gradient descent at its best fixed step 2 / (mu + L) shrinks the
 * error |w - w*| by (kappa - 1) / (kappa + 1) per step, so it needs about kappa/2 ln(1/eps) steps; heavy-ball
 * momentum at Polyak's tuning (lr = 4 / (sqrt L + sqrt mu)^2, momentum = ((sqrt kappa - 1) / (sqrt kappa + 1))^2)
 * shrinks it by (sqrt kappa - 1) / (sqrt kappa + 1), about sqrt(kappa)/2 ln(1/eps) steps; conjugate gradients, which
 * keep each new direction conjugate to all the ones before, reach the minimum in at most n steps for n parameters.
 * The quadratic is least squares on real data, linear regression on standardized features (squared error, exact
 * Hessian); the first two methods are ravine's own {@code sgd} on the full batch, the third the linear CG solver
 * that Hessian-free methods use. Each rate is measured over the second half of the steps to the accuracy. CG's n steps
 * are exact arithmetic's: in floating point its directions lose their conjugacy, mildly at diabetes' kappa of 470
 * and badly at breast_cancer's 1e5, where it is still far off after n steps. Two more runs, reported beside them
 * without a verdict of their own: ravine's {@code cg} minimizer (nonlinear, Polak-Ribiere+, a strong Wolfe line
 * search), whose iterates are the linear method's to about 1e-10 until the last step, where the line search stops at
 * a point Wolfe's conditions accept rather than the exact minimum along the line (1.7e-6 against 4.2e-8 on diabetes);
 * and steepest descent with exact line searches (t = g.g / g'Hg), which the lectures show zigzagging, each direction
 * at a right angle to the last: the best step along each line still leaves it bound to kappa (the Kantorovich bound,
 * Nocedal &amp; Wright theorem 3.3), 2,510 steps against the best fixed step's 2,990.
 */
public final class ConditionNumber implements Experiment {
    /** The error the methods run to, relative to the error at the start (w = 0). */
    static final double ACCURACY = 1e-6;
    static final int MAX_STEPS = 50_000;
    /** Ravine's nonlinear conjugate gradients, one iteration to a step. */
    static final String CG_MINIMIZER = "cg:max_iter=1";
    /**
     * A measured rate r matches its bound when its exponent -ln r is the bound's within this share: heavy ball's
     * extreme eigenvalues have a double root at Polyak's tuning, whose error goes as k r^k, a factor k the looser
     * share allows for.
     */
    static final double GD_MATCH = 0.01, HEAVY_BALL_MATCH = 0.1;
    private final double stepFactor;

    public ConditionNumber() {
        this(1);
    }

    /** Both methods' steps scaled by {@code stepFactor} from their best tuning: at anything but 1 the bounds are not met. */
    public ConditionNumber(double stepFactor) {
        this.stepFactor = stepFactor;
    }

    @Override
    public String name() {
        return "condition-number";
    }

    @Override
    public String claim() {
        return "on a quadratic with condition number kappa, gradient descent at its best step shrinks the error by (kappa-1)/(kappa+1) a step and "
                + "heavy-ball momentum at Polyak's tuning by (sqrt kappa-1)/(sqrt kappa+1), about kappa and sqrt kappa steps, while conjugate "
                + "gradients reach the minimum in n steps for n parameters (Polyak 1964; Hestenes and Stiefel 1952)";
    }

    @Override
    public String data() {
        return "diabetes";
    }

    /** The relative error after each step (index 0: the start) and its rate per step over the second half. */
    private record Run(double[] error, double rate) {
        int steps() {
            return error.length - 1;
        }

        static Run of(List<Double> errors) {
            double[] e = errors.stream().mapToDouble(Double::doubleValue).toArray();
            int end = e.length - 1, half = end / 2;
            return new Run(e, end > half ? Math.pow(e[end] / e[half], 1.0 / (end - half)) : Double.NaN);
        }
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Datasets.load(data, null, Task.REGRESSION, DType.FLOAT64).data();
        Standardization.fit(d.x()).apply(d.x());
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + d.features() + "-1:identity"), d.features(), 1, DType.FLOAT64, d.rows());
        FullBatchObjective objective = new FullBatchObjective(mlp.network, new MeanSquaredError(), d, null, false);
        int n = objective.dimension();
        double[] w0 = new double[n], g0 = new double[n];
        objective.valueAndGradient(w0, g0);
        LinearOperator h = LinearOperator.hessian(objective, w0); // constant: the loss is quadratic
        double[] ev = Experiment.everyEigenvalue(name(), data, h);
        double mu = ev[0], big = ev[ev.length - 1], kappa = big / mu;
        double[] optimum = Normalization.solve(h.matrix(), g0.clone()); // w* = w0 - H^-1 g0 with w0 = 0
        for (int i = 0; i < n; i++) optimum[i] = -optimum[i];
        double start = norm(optimum);

        double gdLr = stepFactor * 2 / (mu + big), sk = Math.sqrt(kappa);
        double hbLr = stepFactor * 4 / Math.pow(Math.sqrt(big) + Math.sqrt(mu), 2), hbMomentum = Math.pow((sk - 1) / (sk + 1), 2);
        String gdSpec = "sgd:lr=" + gdLr, hbSpec = "sgd:lr=" + hbLr + ",momentum=" + hbMomentum;
        Run gd = descend(objective, Optimizers.parse(gdSpec), optimum, start), hb = descend(objective, Optimizers.parse(hbSpec), optimum, start);
        List<Double> cgErrors = new ArrayList<>(List.of(1.0));
        for (int k = 1; k <= n && cgErrors.getLast() > ACCURACY; k++) { // the k-th iterate, from 0 as each solve starts
            double[] x = LinearSolve.conjugateGradient(h::apply, negated(g0), k, 0);
            cgErrors.add(distance(x, optimum) / start);
        }
        Run cg = Run.of(cgErrors);
        Run nonlinear = minimize(objective, optimum, start, n), exact = exactDescent(objective, h, optimum, start);

        double gdBound = (kappa - 1) / (kappa + 1), hbBound = (sk - 1) / (sk + 1);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("data", data);
        numbers.put("parameters", n);
        numbers.put("lambda_min", mu);
        numbers.put("lambda_max", big);
        numbers.put("condition_number", kappa);
        numbers.put("accuracy", ACCURACY);
        numbers.put("gradient_descent", Experiment.inOrder("optimizer", gdSpec, "rate_bound", gdBound, "measured_rate", gd.rate(), "steps", gd.steps()));
        numbers.put("heavy_ball", Experiment.inOrder("optimizer", hbSpec, "rate_bound", hbBound, "measured_rate", hb.rate(), "steps", hb.steps()));
        numbers.put("conjugate_gradients", Experiment.inOrder("steps", cg.steps(), "final_relative_error", cg.error()[cg.steps()],
                "relative_error", cg.error()));
        numbers.put("cg_minimizer", Experiment.inOrder("optimizer", CG_MINIMIZER, "steps", nonlinear.steps(), "final_relative_error",
                nonlinear.error()[nonlinear.steps()], "relative_error", nonlinear.error()));
        numbers.put("exact_line_search", Experiment.inOrder("steps", exact.steps(), "measured_rate", exact.rate()));
        List<String> wrong = new ArrayList<>();
        if (!matches(gd.rate(), gdBound, GD_MATCH))
            wrong.add(String.format(Locale.ROOT, "gradient descent's error was multiplied by %.6f a step, not by (kappa-1)/(kappa+1) = %.6f", gd.rate(), gdBound));
        if (!matches(hb.rate(), hbBound, HEAVY_BALL_MATCH))
            wrong.add(String.format(Locale.ROOT, "heavy ball's error was multiplied by %.4f a step, not by (sqrt kappa-1)/(sqrt kappa+1) = %.4f", hb.rate(), hbBound));
        if (!(cg.error()[cg.steps()] <= ACCURACY))
            wrong.add(String.format(Locale.ROOT, "conjugate gradients were still %.2g away after n = %d steps: in floating point the directions lose "
                    + "their conjugacy, the more so the larger kappa", cg.error()[cg.steps()], n));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "kappa = %.4g; to shrink the error %.0e-fold gradient descent took %d "
                        + "steps at %.5f a step (bound %.5f), heavy ball %d at %.4f (bound %.4f), conjugate gradients %d for n = %d parameters "
                        + "(ravine's cg minimizer, strong Wolfe, at %.1e after %d); steepest descent with exact line searches took %d at %.5f",
                kappa, 1 / ACCURACY, gd.steps(), gd.rate(), gdBound, hb.steps(), hb.rate(), hbBound, cg.steps(), n,
                nonlinear.error()[nonlinear.steps()], nonlinear.steps(), exact.steps(), exact.rate()));
        LineChart c = new LineChart(String.format(Locale.ROOT, "Least squares on standardized %s: kappa = %.3g, n = %d", data, kappa, n), "step",
                "|w - w*| / |w0 - w*|", "Each method's error from the same start, with the rates of its bound: kappa steps for gradient descent, "
                        + "sqrt(kappa) with momentum, n for conjugate gradients (ravine's cg minimizer on the same points); exact line searches "
                        + "leave steepest descent zigzagging.").logY();
        c.add("gradient descent, lr 2/(mu+L)", steps(gd), gd.error());
        c.add("heavy ball, Polyak's tuning", steps(hb), hb.error());
        c.add("conjugate gradients", steps(cg), cg.error());
        c.addPoints("ravine cg minimizer", steps(nonlinear), nonlinear.error());
        c.add("steepest descent, exact line search", steps(exact), exact.error());
        c.add("((kappa-1)/(kappa+1))^k", new double[] {0, gd.steps()}, new double[] {1, Math.pow(gdBound, gd.steps())});
        c.add("((sqrt kappa-1)/(sqrt kappa+1))^k", new double[] {0, hb.steps()}, new double[] {1, Math.pow(hbBound, hb.steps())});
        return new Result(verdict, numbers, List.of(c));
    }

    /** Full-batch steps of {@code optimizer} from w = 0 until the error is below the accuracy, or has grown a thousandfold, or the budget is spent. */
    private static Run descend(FullBatchObjective objective, Optimizer optimizer, double[] optimum, double start) {
        int n = optimum.length;
        Tensor w = Tensor.zeros(DType.FLOAT64, 1, n), g = Tensor.zeros(DType.FLOAT64, 1, n);
        double[] x = new double[n], grad = new double[n];
        List<Double> errors = new ArrayList<>(List.of(1.0));
        for (int k = 0; k < MAX_STEPS && errors.getLast() > ACCURACY && errors.getLast() < 1e3; k++) {
            for (int i = 0; i < n; i++) x[i] = w.get(i);
            objective.valueAndGradient(x, grad);
            for (int i = 0; i < n; i++) g.set(i, grad[i]);
            optimizer.step(w, g, optimizer.learningRate());
            for (int i = 0; i < n; i++) x[i] = w.get(i);
            errors.add(distance(x, optimum) / start);
        }
        return Run.of(errors);
    }

    /** Ravine's cg minimizer from w = 0, one iteration a step, for n steps or until the error is below the accuracy. */
    private static Run minimize(FullBatchObjective objective, double[] optimum, double start, int n) {
        Minimizer m = Minimizers.parse(CG_MINIMIZER);
        double[] x = new double[optimum.length];
        List<Double> errors = new ArrayList<>(List.of(1.0));
        for (int k = 0; k < n && errors.getLast() > ACCURACY; k++) {
            m.step(objective, x, (point, value, evaluations) -> true);
            errors.add(distance(x, optimum) / start);
        }
        return Run.of(errors);
    }

    /** Steepest descent from w = 0, each step to the minimum along -g: t = g.g / g'Hg. */
    private static Run exactDescent(FullBatchObjective objective, LinearOperator h, double[] optimum, double start) {
        int n = optimum.length;
        double[] x = new double[n], g = new double[n], hg = new double[n];
        List<Double> errors = new ArrayList<>(List.of(1.0));
        for (int k = 0; k < MAX_STEPS && errors.getLast() > ACCURACY; k++) {
            objective.valueAndGradient(x, g);
            h.apply(g, hg);
            double gg = VectorMath.dot(g, g), ghg = VectorMath.dot(g, hg);
            if (!(ghg > 0)) break; // at the minimum to the last bit
            VectorMath.axpy(-gg / ghg, g, x);
            errors.add(distance(x, optimum) / start);
        }
        return Run.of(errors);
    }

    private static boolean matches(double rate, double bound, double share) {
        return Math.abs(Math.log(rate) / Math.log(bound) - 1) <= share;
    }

    private static double[] steps(Run r) {
        double[] k = new double[r.error().length];
        for (int i = 0; i < k.length; i++) k[i] = i;
        return k;
    }

    private static double[] negated(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = -v[i];
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    private static double norm(double[] a) {
        return distance(a, new double[a.length]);
    }
}
