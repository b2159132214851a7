package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Momentum (PyTorch's form: v = alpha v + g, step lr v). On a constant gradient g the step grows to the terminal
 * velocity lr g / (1 - alpha), a 1/(1 - alpha) longer stride than plain gradient descent. In a ravine
 * (0.5 (x^2 + kappa y^2) at lr = 1.3/kappa) plain descent zig-zags across the valley and crawls along it;
 * momentum damps the zig-zag and gets down the valley in far fewer steps, Nesterov's look-ahead in fewer still or
 * as few. Each figure is read off the optimizers' own steps.
 */
public final class Momentum implements Experiment {
    private final double alpha, kappa;
    static final int CONSTANT_STEPS = 200, RAVINE_STEPS = 2000;
    /** Down the valley: f below this share of where it started. */
    static final double ARRIVED = 1e-8;

    public Momentum() {
        this(0.9, 100);
    }

    /** Momentum {@code alpha} (0 is plain gradient descent) on the quadratic with curvatures 1 and {@code kappa}. */
    public Momentum(double alpha, double kappa) {
        this.alpha = alpha;
        this.kappa = kappa;
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String claim() {
        return "on a constant gradient momentum reaches the terminal velocity lr g / (1 - alpha); in a ravine it damps the zig-zag and arrives in "
                + "fewer steps than plain gradient descent, Nesterov too";
    }

    @Override
    public Result run(long seed, String data) {
        double lr = 0.01, g = 1;
        // a constant gradient: the step's length after each of CONSTANT_STEPS steps
        Optimizer heavy = Optimizers.parse(String.format(Locale.ROOT, "sgd:lr=%s,momentum=%s", lr, alpha));
        Tensor p = Tensor.of(new double[] {0}, 1, 1), grad = Tensor.of(new double[] {g}, 1, 1);
        double[] step = new double[CONSTANT_STEPS + 1], index = new double[CONSTANT_STEPS + 1], terminal = new double[CONSTANT_STEPS + 1];
        for (int k = 1; k <= CONSTANT_STEPS; k++) {
            double before = p.get(0);
            heavy.step(p, grad, lr);
            step[k] = before - p.get(0);
            index[k] = k;
            terminal[k] = lr * g / (1 - alpha);
        }
        double predicted = lr * g / (1 - alpha), measured = step[CONSTANT_STEPS];
        LineChart velocity = new LineChart("Momentum on a constant gradient", "step", "length of the step",
                "The heavy ball accelerates until friction balances the pull: each step is lr g (1 + alpha + ... + alpha^(k-1)), "
                        + "which tends to lr g / (1 - alpha).");
        velocity.add("step", java.util.Arrays.copyOfRange(index, 1, index.length), java.util.Arrays.copyOfRange(step, 1, step.length));
        velocity.add("lr g / (1 - alpha)", java.util.Arrays.copyOfRange(index, 1, index.length), java.util.Arrays.copyOfRange(terminal, 1, terminal.length));

        // the ravine: plain GD at 1.3/kappa (zig-zagging: y flips sign each step) against the same rate with momentum,
        // and with Nesterov's, which is stable only below lr kappa = 2 (1 + alpha) / (1 + 2 alpha) (1.36 at alpha 0.9)
        TestFunction f = TestFunction.parse("quadratic:kappa=" + kappa);
        double rate = 1.3 / kappa;
        String[] specs = {"sgd:lr=" + rate, String.format(Locale.ROOT, "sgd:lr=%s,momentum=%s", rate, alpha),
                alpha == 0 ? "sgd:lr=" + rate : String.format(Locale.ROOT, "sgd:lr=%s,momentum=%s,nesterov=true", rate, alpha)}; // PyTorch refuses
                // Nesterov without momentum: at alpha 0 it is plain descent
        String[] labels = {"gradient descent", "momentum " + alpha, "Nesterov " + alpha};
        LineChart ravine = new LineChart("A ravine: 0.5 (x^2 + " + kappa + " y^2) at lr = 1.3 / " + kappa, "step", "f (log)",
                "Plain descent bounces between the walls (y flips sign every step) and creeps along the floor at (1 - lr)^k; momentum "
                        + "carries speed along the floor while the bounces cancel.").logY();
        Map<String, Object> ravineNumbers = new LinkedHashMap<>();
        int[] arrived = new int[specs.length];
        int[] flips = new int[specs.length];
        for (int s = 0; s < specs.length; s++) {
            Trajectory t = Trajectory.run(f, specs[s], 1, 1, RAVINE_STEPS);
            double f0 = t.points.get(0).f();
            arrived[s] = -1;
            double[] k = new double[t.points.size()], fk = new double[t.points.size()];
            for (int i = 0; i < t.points.size(); i++) {
                Trajectory.Point pt = t.points.get(i);
                k[i] = i;
                fk[i] = pt.f();
                if (arrived[s] < 0 && pt.f() < ARRIVED * f0) arrived[s] = i;
                if (i > 0 && i <= 20 && Math.signum(pt.y()) == -Math.signum(t.points.get(i - 1).y())) flips[s]++;
            }
            ravine.add(labels[s], k, fk);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("optimizer", specs[s]);
            r.put("steps_to_arrive", arrived[s]);
            r.put("sign_flips_of_y_in_first_20_steps", flips[s]);
            r.put("final_f", t.points.get(t.points.size() - 1).f());
            ravineNumbers.put(labels[s], r);
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("alpha", alpha);
        numbers.put("lr", lr);
        numbers.put("gradient", g);
        numbers.put("predicted_terminal_step", predicted);
        numbers.put("measured_step_after_" + CONSTANT_STEPS, measured);
        numbers.put("kappa", kappa);
        numbers.put("ravine_lr", rate);
        numbers.put("nesterov_stable_below_lr_kappa", 2 * (1 + alpha) / (1 + 2 * alpha));
        numbers.put("arrived_below_relative_f", ARRIVED);
        numbers.put("ravine", ravineNumbers);

        List<String> wrong = new java.util.ArrayList<>();
        if (Math.abs(measured - predicted) > 1e-6 * predicted)
            wrong.add(String.format(Locale.ROOT, "the step settled at %.6g, not lr g / (1 - alpha) = %.6g", measured, predicted));
        boolean faster = arrived[1] >= 0 && (arrived[0] < 0 || arrived[1] < arrived[0]);
        if (!faster) wrong.add("momentum did not arrive before plain gradient descent (" + arrived[1] + " against " + arrived[0] + " steps)");
        if (flips[1] >= flips[0]) wrong.add("momentum's path flipped sign as often as plain descent's (" + flips[1] + " of 20 steps)");
        if (arrived[2] < 0 || (arrived[0] >= 0 && arrived[2] >= arrived[0])) wrong.add("Nesterov did not arrive before plain gradient descent");
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "the step settles at lr g / (1 - alpha) = %.4g (%.0fx plain descent's), "
                        + "and in the ravine momentum arrives in %d steps, Nesterov in %d, plain descent in %s", predicted, 1 / (1 - alpha), arrived[1], arrived[2],
                arrived[0] < 0 ? "more than " + RAVINE_STEPS : Integer.toString(arrived[0])));
        return new Result(verdict, numbers, List.of(velocity, ravine));
    }
}
