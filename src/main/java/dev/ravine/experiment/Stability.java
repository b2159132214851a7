package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.report.LineChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gradient descent on 0.5 (x^2 + kappa y^2) multiplies y by (1 - lr kappa) each step: below 1/lambda it decays
 * monotonically, between 1/lambda and 2/lambda it decays while flipping sign, above 2/lambda it diverges. Each
 * behaviour is read off the path itself (signs and sizes of y_k), and the measured factor y_{k+1}/y_k is compared
 * with 1 - lr lambda.
 */
public final class Stability implements Experiment {
    private final double kappa;
    private final double[] rates; // as multiples of 1/lambda
    private static final int STEPS = 40;

    public Stability() {
        this(10, new double[] {0.5, 1.5, 2.2});
    }

    /** At learning rates {@code multiples} / lambda on the quadratic with lambda_max = {@code kappa}. */
    public Stability(double kappa, double[] multiples) {
        this.kappa = kappa;
        this.rates = multiples.clone();
    }

    @Override
    public String name() {
        return "stability";
    }

    @Override
    public String claim() {
        return "GD decays monotonically below lr = 1/lambda, oscillates while decaying up to 2/lambda, and diverges beyond, as (1 - lr lambda)^k";
    }

    /** What the path did. */
    enum Behaviour { MONOTONE_DECAY, OSCILLATING_DECAY, STEADY_OSCILLATION, DIVERGENCE, OTHER }

    static Behaviour behaviour(double[] y) {
        boolean flips = true, same = true, shrinks = true, grows = true, steady = true;
        for (int k = 0; k + 1 < y.length; k++) {
            flips &= Math.signum(y[k + 1]) == -Math.signum(y[k]);
            same &= Math.signum(y[k + 1]) == Math.signum(y[k]);
            shrinks &= Math.abs(y[k + 1]) < Math.abs(y[k]);
            grows &= Math.abs(y[k + 1]) > Math.abs(y[k]);
            steady &= Math.abs(Math.abs(y[k + 1]) - Math.abs(y[k])) <= 1e-12 * Math.abs(y[k]);
        }
        if (steady && flips) return Behaviour.STEADY_OSCILLATION;
        if (grows) return Behaviour.DIVERGENCE;
        if (shrinks && same) return Behaviour.MONOTONE_DECAY;
        if (shrinks && flips) return Behaviour.OSCILLATING_DECAY;
        return Behaviour.OTHER;
    }

    /** The lectures' prediction for lr lambda = {@code m}. */
    static Behaviour predicted(double m) {
        return m < 1 ? Behaviour.MONOTONE_DECAY : m < 2 ? Behaviour.OSCILLATING_DECAY : m > 2 ? Behaviour.DIVERGENCE : Behaviour.STEADY_OSCILLATION;
    }

    @Override
    public Result run(long seed) {
        TestFunction f = TestFunction.parse("quadratic:kappa=" + kappa);
        double lambda = kappa; // the Hessian is diag(1, kappa)
        List<Map<String, Object>> runs = new ArrayList<>();
        LineChart chart = new LineChart("Gradient descent on 0.5 (x^2 + " + kappa + " y^2)", "step", "|y| (log)",
                "Along the sharpest direction each step multiplies y by 1 - lr lambda: below 1/lambda a steady decay, up to 2/lambda a "
                        + "decay that flips sign every step, beyond 2/lambda a blow-up.").logY();
        List<String> wrong = new ArrayList<>();
        for (double m : rates) {
            double lr = m / lambda;
            Trajectory t = Trajectory.run(f, "sgd:lr=" + lr, 1, 1, STEPS);
            double[] y = t.points.stream().mapToDouble(Trajectory.Point::y).toArray();
            double[] steps = new double[y.length], size = new double[y.length];
            for (int k = 0; k < y.length; k++) {
                steps[k] = k;
                size[k] = Math.abs(y[k]);
            }
            chart.add(String.format(Locale.ROOT, "lr = %.2f / lambda", m), steps, size);
            Behaviour seen = behaviour(y), expected = predicted(m);
            double factor = y[1] / y[0];
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lr", lr);
            r.put("lr_times_lambda", m);
            r.put("predicted_factor", 1 - lr * lambda);
            r.put("measured_factor", factor);
            r.put("predicted", expected.name().toLowerCase(Locale.ROOT));
            r.put("observed", seen.name().toLowerCase(Locale.ROOT));
            r.put("final_abs_y", Math.abs(y[y.length - 1]));
            runs.add(r);
            if (seen != expected || Math.abs(factor - (1 - lr * lambda)) > 1e-12)
                wrong.add(String.format(Locale.ROOT, "at lr lambda = %.3g the path shows %s where %s was predicted", m, r.get("observed"), r.get("predicted")));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("lambda_max", lambda);
        numbers.put("runs", runs);
        String verdict = Experiment.verdict(wrong, "every path decays, oscillates or diverges as (1 - lr lambda)^k predicts");
        return new Result(verdict, numbers, List.of(chart));
    }
}
