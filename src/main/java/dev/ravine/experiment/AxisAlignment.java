package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.report.LineChart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RMSProp, AdaGrad and Adam divide each coordinate's step by that coordinate's own gradient scale: a diagonal
 * preconditioner. Rprop goes further, keeping a step size per coordinate and using only the gradient's signs. On a ravine whose axes are the coordinate axes (0.5 (x^2 + kappa y^2)) it is exactly the right
 * one and removes the ill-conditioning; turned by 45 degrees the same ravine has its curvature split equally over
 * both coordinates, the diagonal sees nothing to fix, and the adaptive methods lose their advantage. Gradient
 * descent is rotation-invariant and does not notice. Each method starts one unit along each principal axis from
 * the minimum, so both ravines pose the same problem; "arrived" is f below {@code ARRIVED} of its start.
 */
public final class AxisAlignment implements Experiment {
    static final int STEPS = 3000;
    static final double ARRIVED = 1e-6;
    /** The figure's floor: paths that reach the minimum exactly would leave a log axis. */
    static final double FLOOR = 1e-12;
    private final double kappa, angle;

    public AxisAlignment() {
        this(100, 45);
    }

    /** The ravine with curvatures 1 and {@code kappa}, aligned with the axes and turned by {@code angle} degrees. */
    public AxisAlignment(double kappa, double angle) {
        this.kappa = kappa;
        this.angle = angle;
    }

    @Override
    public String name() {
        return "axis-alignment";
    }

    @Override
    public String claim() {
        return "RMSProp, AdaGrad, Adam and Rprop fix an axis-aligned ravine but not the same ravine turned by 45 degrees; gradient descent does not "
                + "notice the turn";
    }

    @Override
    public Result run(long seed, String data) {
        // plain descent near its best rate 2 / (1 + kappa); the adaptive methods at rates that suit the aligned ravine
        double gdRate = 1.9 / (1 + kappa);
        String[] specs = {"sgd:lr=" + gdRate, "rmsprop:lr=0.01", "adagrad:lr=0.5", "adam:lr=0.05", "rprop:lr=0.01"};
        String[] labels = {String.format(Locale.ROOT, "gradient descent lr %.3g", gdRate), "rmsprop lr 0.01", "adagrad lr 0.5", "adam lr 0.05",
                "rprop lr 0.01"};
        double[] angles = {0, angle};
        Map<String, Object> runs = new LinkedHashMap<>();
        int[][] arrived = new int[specs.length][2];
        LineChart c = new LineChart(String.format(Locale.ROOT, "A ravine 0.5 (u^2 + %s v^2), aligned and turned by %s degrees", Experiment.num(kappa), Experiment.num(angle)),
                "step", "f / f at the start (log)", "Each method on the aligned ravine and on the turned one: the diagonal "
                        + "preconditioners of RMSProp, AdaGrad, Adam and Rprop only see curvature along the coordinate axes.").logY();
        for (int s = 0; s < specs.length; s++) {
            Map<String, Object> byAngle = new LinkedHashMap<>();
            for (int a = 0; a < 2; a++) {
                double rad = Math.toRadians(angles[a]), cos = Math.cos(rad), sin = Math.sin(rad);
                TestFunction f = TestFunction.parse(String.format(Locale.ROOT, "quadratic:kappa=%s,angle=%s", kappa, angles[a]));
                // (u, v) = (1, 1) in the turned frame
                Trajectory t = Trajectory.run(f, specs[s], cos - sin, sin + cos, STEPS);
                double f0 = t.points.get(0).f();
                double[] k = new double[t.points.size()], rel = new double[k.length], shown = new double[k.length];
                arrived[s][a] = -1;
                for (int i = 0; i < k.length; i++) {
                    k[i] = i;
                    rel[i] = t.points.get(i).f() / f0;
                    if (arrived[s][a] < 0 && rel[i] < ARRIVED) arrived[s][a] = i;
                    shown[i] = Math.max(rel[i], FLOOR);
                }
                c.add(labels[s] + (a == 0 ? ", aligned" : ", turned " + Experiment.num(angles[a])), k, shown);
                byAngle.put(a == 0 ? "aligned" : "turned", Experiment.inOrder("steps_to_arrive", arrived[s][a], "final_relative_f", rel[rel.length - 1]));
            }
            runs.put(specs[s], byAngle);
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("kappa", kappa);
        numbers.put("angle_degrees", angle);
        numbers.put("steps", STEPS);
        numbers.put("arrived_below_relative_f", ARRIVED);
        numbers.put("runs", runs);
        List<String> wrong = new java.util.ArrayList<>();
        int[] gd = arrived[0];
        if (gd[0] < 0 || gd[1] < 0 || Math.abs(gd[0] - gd[1]) > 1)
            wrong.add("gradient descent arrived in " + steps(gd[0]) + " steps aligned and " + steps(gd[1]) + " turned");
        StringBuilder holds = new StringBuilder();
        for (int s = 1; s < specs.length; s++) {
            int aligned = arrived[s][0], turned = arrived[s][1];
            if (aligned < 0 || (gd[0] >= 0 && aligned >= gd[0]))
                wrong.add(specs[s] + " took " + steps(aligned) + " steps on the aligned ravine, no fewer than gradient descent's " + steps(gd[0]));
            else if (turned >= 0 && turned < 2 * aligned)
                wrong.add(specs[s] + " took " + turned + " steps turned against " + aligned + " aligned, not even twice as many");
            holds.append(String.format(Locale.ROOT, "%s%s %d -> %s", s > 1 ? ", " : "", specs[s].substring(0, specs[s].indexOf(':')), aligned, steps(turned)));
        }
        String verdict = Experiment.verdict(wrong, "steps to arrive aligned -> turned: " + holds + "; gradient descent " + gd[0] + " both ways");
        return new Result(verdict, numbers, List.of(c));
    }

    private static String steps(int arrived) {
        return arrived < 0 ? "more than " + STEPS : Integer.toString(arrived);
    }
}
