package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
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
import java.util.SplittableRandom;

/**
 * Gradient descent started on a saddle's attracting line stays on it: on f = x^2 - y^2 from (1, 0) the gradient has
 * no y component, x shrinks by 1 - 2 lr a step, and the descent converges to the saddle. Noise in the gradient (as a
 * minibatch's) pushes y off the line, and there the negative curvature multiplies it by 1 + 2 lr a step, so the
 * descent leaves (Ge et al. 2015, Jin et al. 2017: perturbed gradient descent escapes strict saddles). From a kick
 * of size lr sigma, the escape to |y| = 1 takes about ln(1 / (lr sigma)) / ln(1 + 2 lr) steps: each tenfold smaller
 * noise adds ln 10 / ln(1 + 2 lr) steps, a delay, never a trap. Measured as the mean over {@code REPEATS} noise
 * draws at each noise level.
 */
public final class SaddleEscape implements Experiment {
    static final int STEPS = 1000, REPEATS = 50;
    static final double RATE = 0.1;
    /** Left the saddle: |y| at least this. */
    static final double ESCAPED = 1;
    static final double[] NOISE = {1e-2, 1e-4, 1e-6, 1e-8};
    private final String function;

    public SaddleEscape() {
        this("saddle");
    }

    /** Descends {@code function} (a test function's spec) from (1, 0). */
    public SaddleEscape(String function) {
        this.function = function;
    }

    @Override
    public String name() {
        return "saddle-escape";
    }

    @Override
    public String claim() {
        return "gradient descent started on a saddle's attracting line converges to the saddle, while gradient noise knocks it off and it escapes, "
                + "later by a fixed number of steps for each tenfold smaller noise (Ge et al. 2015)";
    }

    /** The steps until |y| reached {@link #ESCAPED} (or -1), and the last point. */
    private record Path(int escaped, double x, double y, List<double[]> points) {
    }

    private Path descend(TestFunction f, double sigma, SplittableRandom noise) {
        Optimizer sgd = Optimizers.parse("sgd");
        Tensor p = Tensor.zeros(DType.FLOAT64, 1, 2), g = Tensor.zeros(DType.FLOAT64, 1, 2);
        p.set(0, 1);
        double[] grad = new double[2];
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        for (int t = 1; t <= STEPS; t++) {
            f.gradient(p.get(0), p.get(1), grad);
            for (int i = 0; i < 2; i++) g.set(i, grad[i] + sigma * Experiment.gaussian(noise));
            sgd.step(p, g, RATE);
            points.add(new double[] {t, Math.abs(p.get(1))});
            if (Math.abs(p.get(1)) >= ESCAPED) return new Path(t, p.get(0), p.get(1), points);
        }
        return new Path(-1, p.get(0), p.get(1), points);
    }

    @Override
    public Result run(long seed, String data) {
        TestFunction f = TestFunction.parse(function);
        Path plain = descend(f, 0, new SplittableRandom(seed));
        double perDecade = Math.log(10) / Math.log(1 + 2 * RATE);
        LineChart chart = new LineChart("Gradient descent from (1, 0) on " + (function.equals("saddle") ? "x^2 - y^2" : function) + ", lr " + RATE, "step",
                "|y|, the distance off the attracting line (log)",
                "Without noise y stays exactly 0 (not drawn on the log axis) and the descent converges to the saddle; with noise sigma, y starts near "
                        + "lr sigma and grows by 1 + 2 lr a step until the descent leaves.").logY().legendBelow();
        double[] meanSteps = new double[NOISE.length];
        int[] stuck = new int[NOISE.length];
        Map<String, Object> byNoise = new LinkedHashMap<>();
        SplittableRandom noise = new SplittableRandom(seed);
        for (int s = 0; s < NOISE.length; s++) {
            double sum = 0;
            int escaped = 0;
            for (int r = 0; r < REPEATS; r++) {
                Path path = descend(f, NOISE[s], noise);
                if (r == 0) chart.add(String.format(Locale.ROOT, "noise sigma %.0e", NOISE[s]), path.points().stream().mapToDouble(q -> q[0]).toArray(),
                        path.points().stream().mapToDouble(q -> q[1]).toArray());
                if (path.escaped() < 0) stuck[s]++;
                else {
                    sum += path.escaped();
                    escaped++;
                }
            }
            meanSteps[s] = escaped == 0 ? Double.NaN : sum / escaped;
            byNoise.put(String.format(Locale.ROOT, "%.0e", NOISE[s]), Experiment.inOrder("mean_steps_to_escape", meanSteps[s], "runs_that_stayed", stuck[s]));
        }
        double measuredPerDecade = (meanSteps[NOISE.length - 1] - meanSteps[0]) / Math.log10(NOISE[0] / NOISE[NOISE.length - 1]);
        double distance = Math.hypot(plain.x(), plain.y());

        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("function", function);
        numbers.put("lr", RATE);
        numbers.put("steps", STEPS);
        numbers.put("repeats", REPEATS);
        numbers.put("without_noise", Experiment.inOrder("distance_to_the_saddle", distance, "y", plain.y()));
        numbers.put("with_noise", byNoise);
        numbers.put("predicted_steps_per_decade", perDecade);
        numbers.put("measured_steps_per_decade", measuredPerDecade);
        List<String> wrong = new ArrayList<>();
        if (!(plain.escaped() < 0 && distance < 1e-12))
            wrong.add(String.format(Locale.ROOT, "without noise the descent ended %.3g from the saddle", distance));
        for (int s = 0; s < NOISE.length; s++)
            if (stuck[s] > 0)
                wrong.add(String.format(Locale.ROOT, "with noise %.0e, %d of %d runs did not leave within %d steps", NOISE[s], stuck[s], REPEATS, STEPS));
        if (wrong.isEmpty() && !(Math.abs(measuredPerDecade - perDecade) <= 0.1 * perDecade))
            wrong.add(String.format(Locale.ROOT, "each tenfold smaller noise delayed the escape by %.1f steps, not the %.1f of ln 10 / ln(1 + 2 lr)",
                    measuredPerDecade, perDecade));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "without noise the descent ends %.1g from the saddle; with noise 1e-2 to 1e-8 "
                + "it leaves after %.1f to %.1f steps on average, %.1f more for each tenfold smaller noise (predicted %.1f)", distance, meanSteps[0],
                meanSteps[NOISE.length - 1], measuredPerDecade, perDecade));
        return new Result(verdict, numbers, List.of(chart));
    }
}
