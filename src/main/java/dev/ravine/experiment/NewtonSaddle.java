package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.report.LineChart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Newton's method solves grad f = 0, and a saddle is such a point: on f = x^2 - y^2 the step -H^-1 g goes to the
 * saddle at the origin, in one step here, where the function is quadratic. Saddle-free Newton (Dauphin et al. 2014)
 * divides by |H| instead, so along the negative-curvature direction it steps downhill, away from the saddle.
 * Plain gradient descent escapes too, but slowly, at the rate lr * 2 per step of its small start along y. Each
 * behaviour is read off the paths: the distance to the saddle and the function value after {@code STEPS} steps.
 */
public final class NewtonSaddle implements Experiment {
    static final int STEPS = 10;
    /** At the saddle: this close to the origin. */
    static final double AT_SADDLE = 1e-9;
    private final double y0;

    public NewtonSaddle() {
        this(0.1);
    }

    /** From (1, {@code y0}); at y0 = 0 the start lies on the saddle's attracting line, where no method can tell which way is down. */
    public NewtonSaddle(double y0) {
        this.y0 = y0;
    }

    @Override
    public String name() {
        return "newton-saddle";
    }

    @Override
    public String claim() {
        return "Newton's method is attracted to a saddle point; saddle-free Newton escapes it";
    }

    @Override
    public Result run(long seed, String data) {
        TestFunction f = TestFunction.parse("saddle");
        String[] specs = {"newton", "newton:saddle_free=true", "sgd:lr=0.1"};
        String[] labels = {"Newton", "saddle-free Newton", "gradient descent (lr 0.1)"};
        LineChart c = new LineChart("From (1, " + y0 + ") on f = x^2 - y^2", "step", "distance to the saddle (log)",
                "Newton's step lands on the point where the gradient vanishes, which here is the saddle; with |H| the step along y "
                        + "points downhill and the distance grows.").logY();
        Map<String, Object> runs = new LinkedHashMap<>();
        double[] distance = new double[specs.length], value = new double[specs.length];
        for (int s = 0; s < specs.length; s++) {
            Trajectory t = Trajectory.run(f, specs[s], 1, y0, STEPS);
            double[] k = new double[t.points.size()], d = new double[t.points.size()];
            for (int i = 0; i < k.length; i++) {
                Trajectory.Point p = t.points.get(i);
                k[i] = i;
                d[i] = Math.hypot(p.x(), p.y());
            }
            c.add(labels[s], k, d);
            Trajectory.Point last = t.points.get(t.points.size() - 1);
            distance[s] = d[d.length - 1];
            value[s] = last.f();
            runs.put(labels[s], Experiment.inOrder("optimizer", specs[s], "final_x", last.x(), "final_y", last.y(), "final_f", last.f(),
                    "distance_to_saddle", distance[s]));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("start", List.of(1.0, y0));
        numbers.put("steps", STEPS);
        numbers.put("runs", runs);
        List<String> wrong = new java.util.ArrayList<>();
        if (!(distance[0] < AT_SADDLE)) wrong.add(String.format(Locale.ROOT, "Newton ended %.3g from the saddle", distance[0]));
        if (!(distance[1] > 1 && value[1] < 0))
            wrong.add(String.format(Locale.ROOT, "saddle-free Newton did not escape (distance %.3g, f %.3g)", distance[1], value[1]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "Newton sits %.1e from the saddle after %d steps; saddle-free Newton "
                + "is %.3g away at f = %.3g, gradient descent %.3g away", distance[0], STEPS, distance[1], value[1], distance[2]));
        return new Result(verdict, numbers, List.of(c));
    }
}
