package dev.ravine.experiment;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reddi et al. 2018 ("On the convergence of Adam and beyond", section 3 and the synthetic experiment of section 5):
 * the online problem f_t(x) = c_t x on [-1, 1] with c_t = {@code LARGE} once every {@code PERIOD} steps and
 * {@code SMALL} otherwise. Over a period the gradients sum to 1010 - 100 x 10 = 10 > 0, so the best fixed point is
 * x = -1. Adam forgets the rare large gradient within ~1/(1 - beta2) steps: its second moment then shrinks, the small
 * gradients that push x up take full-sized steps, and the large one that pushes it down is damped by the moment it
 * inflates itself. With beta2 = 0.99 the drift wins and Adam settles at x = +1, the worst point, with a regret that
 * grows linearly. AMSGrad ({@code amsgrad=true}) divides by the largest second moment seen so far, so the small
 * gradients' steps stay small, and it converges to -1. Both run PyTorch's rules at the rate alpha/sqrt(t) of the
 * paper's analysis, projected back onto [-1, 1] after every step (the paper's constrained setting). Where the second
 * moment remembers many periods (beta2 = 0.9999) Adam sees the average and converges as well.
 */
public final class AmsGrad implements Experiment {
    static final int PERIOD = 101, STEPS = 1000 * PERIOD;
    static final double LARGE = 1010, SMALL = -10;
    /** Near an end of [-1, 1]: within a twentieth of its width. */
    static final double NEAR = 0.9;
    private final double alpha, beta2;

    public AmsGrad() {
        this(0.5, 0.99);
    }

    /** Rate {@code alpha} / sqrt(t), Adam's betas (0.9, {@code beta2}). */
    public AmsGrad(double alpha, double beta2) {
        this.alpha = alpha;
        this.beta2 = beta2;
    }

    @Override
    public String name() {
        return "amsgrad";
    }

    @Override
    public String claim() {
        return "on a simple online convex problem Adam converges to the worst point, where AMSGrad, which divides by the largest second moment "
                + "so far, converges to the best (Reddi et al. 2018)";
    }

    /** The gradient of f_t at step t (from 1): the large one first, then once a period. */
    static double gradient(long t) {
        return t % PERIOD == 1 ? LARGE : SMALL;
    }

    @Override
    public Result run(long seed, String data) {
        String[] labels = {"adam", "adam, amsgrad=true"};
        LineChart path = new LineChart(String.format(Locale.ROOT, "f_t(x) = %s x once every %d steps, %s x otherwise, on [-1, 1]", Experiment.num(LARGE), PERIOD,
                Experiment.num(SMALL)), "step t (log)", "x_t",
                "The best fixed point is x = -1 (the gradients sum to +10 a period). Adam, with beta2 = " + Experiment.num(beta2) + ", drifts to x = +1, the worst; "
                        + "AMSGrad's running maximum of the second moment keeps the frequent small gradients' steps small.").logX().legendBelow();
        double worst = 2 * (LARGE + (PERIOD - 1) * SMALL) / PERIOD; // regret a step of staying at +1: twice the mean gradient
        LineChart regrets = new LineChart("Average regret R_t / t", "step t (log)", "R_t / t (log)", "R_t = sum over s <= t of f_s(x_s) - f_s(-1). "
                + "An online method converges when R_t / t goes to 0, as AMSGrad's does; Adam's settles above what staying at the worst point costs, "
                + String.format(Locale.ROOT, "%.3f a step.", worst)).logX().logY().legendBelow();
        double[] last = new double[labels.length], regret = new double[labels.length];
        Map<String, Object> runs = new LinkedHashMap<>();
        for (int r = 0; r < labels.length; r++) {
            Optimizer adam = Optimizers.parse(String.format(Locale.ROOT, "adam:betas=0.9|%s,amsgrad=%s", beta2, r == 1));
            Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1), g = Tensor.zeros(DType.FLOAT64, 1, 1);
            List<double[]> samples = new ArrayList<>(); // (t, x_t, R_t / t) at log-spaced steps, for the figures
            int sampled = -1;
            double total = 0;
            for (long step = 1; step <= STEPS; step++) {
                double c = gradient(step);
                total += c * (x.get(0) + 1); // f_t(x_t) - f_t(-1)
                g.set(0, c);
                adam.step(x, g, alpha / Math.sqrt(step));
                x.set(0, Math.max(-1, Math.min(1, x.get(0)))); // projected onto the feasible set
                int p = (int) Math.floor(200 * Math.log(step) / Math.log(STEPS)); // up to 200 steps, log-spaced
                if (p > sampled || step == STEPS) samples.add(new double[] {step, x.get(0), total / step});
                sampled = p;
            }
            last[r] = x.get(0);
            regret[r] = total / STEPS;
            path.add(labels[r], column(samples, 0), column(samples, 1));
            regrets.add(labels[r], column(samples, 0), column(samples, 2));
            runs.put(labels[r], Experiment.inOrder("final_x", last[r], "average_regret", regret[r]));
        }
        regrets.add("staying at x = +1", new double[] {1, STEPS}, new double[] {worst, worst});
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("large_gradient", LARGE);
        numbers.put("small_gradient", SMALL);
        numbers.put("period", PERIOD);
        numbers.put("steps", STEPS);
        numbers.put("alpha", alpha);
        numbers.put("beta1", 0.9);
        numbers.put("beta2", beta2);
        numbers.put("best_x", -1.0);
        numbers.put("average_regret_at_the_worst_point", worst);
        numbers.put("runs", runs);
        List<String> wrong = new ArrayList<>();
        if (!(last[0] > NEAR)) wrong.add(String.format(Locale.ROOT, "Adam ended at x = %.3f, not near the worst point +1", last[0]));
        if (!(last[1] < -NEAR)) wrong.add(String.format(Locale.ROOT, "AMSGrad ended at x = %.3f, not near the best point -1", last[1]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "after %,d steps Adam stands at x = %.3f and AMSGrad at %.3f; "
                + "their average regret is %.3f and %.3f", STEPS, last[0], last[1], regret[0], regret[1]));
        return new Result(verdict, numbers, List.of(path, regrets));
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(row -> row[c]).toArray();
    }
}
