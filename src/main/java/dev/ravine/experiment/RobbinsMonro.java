package dev.ravine.experiment;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stochastic gradient descent on f(x) = 0.5 |x|^2 in {@code DIMENSIONS} dimensions with gradient noise of standard
 * deviation sigma per coordinate. A constant rate lr stalls at the noise floor E x_i^2 = lr sigma^2 / (2 - lr) (the
 * stationary variance of x <- (1 - lr) x - lr sigma xi); a schedule with sum lr_k = inf and sum lr_k^2 < inf
 * (Robbins and Monro 1951; here lr_k = 1 / (k + 10)) averages the noise away and converges; a schedule whose rates
 * sum to a finite total (lr_k = 1 / (k + 2)^2, whose product of (1 - lr_k) is 1/2) runs out of steps and stops short. The running
 * average of the constant rate's iterates (Polyak and Juditsky 1992: ASGD's {@code ax}) averages the noise away as
 * well, while the iterates themselves stay at the floor. Each is read off the mean of x_i^2 (of the average, for the
 * last) over the last tenth of the steps.
 */
public final class RobbinsMonro implements Experiment {
    static final int DIMENSIONS = 100, STEPS = 20_000;
    private final double sigma, constant;

    public RobbinsMonro() {
        this(1, 0.1);
    }

    /** Noise {@code sigma} per coordinate, the constant rate {@code constant}. */
    public RobbinsMonro(double sigma, double constant) {
        this.sigma = sigma;
        this.constant = constant;
    }

    @Override
    public String name() {
        return "robbins-monro";
    }

    @Override
    public String claim() {
        return "under gradient noise a constant learning rate stalls at a noise floor, rates with sum lr = inf and sum lr^2 < inf converge, "
                + "and rates with a finite sum stop short; averaging the constant rate's iterates converges too";
    }

    private interface Rate {
        double at(int k);
    }

    @Override
    public Result run(long seed, String data) {
        String[] labels = {"constant lr = " + constant, "lr = 1 / (k + 10)", "lr = 1 / (k + 2)^2", "constant lr = " + constant + ", iterates averaged"};
        Rate[] rates = {k -> constant, k -> 1.0 / (k + 10), k -> 1.0 / ((k + 2.0) * (k + 2.0)), k -> constant};
        double floor = constant * sigma * sigma / (2 - constant);
        LineChart c = new LineChart("SGD under gradient noise (sigma = " + sigma + ")", "step (log)", "mean x_i^2 (log)",
                "A constant rate keeps kicking x around the minimum at lr sigma^2 / (2 - lr); decaying rates that still sum to infinity "
                        + "average the kicks away; rates that sum to a finite total freeze x before it arrives; the average of the constant "
                        + "rate's iterates (ASGD) converges while they do not.").logX().logY();
        double[] tail = new double[rates.length];
        Map<String, Object> runs = new LinkedHashMap<>();
        for (int r = 0; r < rates.length; r++) {
            // the last run: ASGD without its decay, so its iterates are the constant rate's, averaged from the start
            boolean averaged = r == rates.length - 1;
            Optimizer method = Optimizers.parse(averaged ? "asgd:lambd=0,t0=0,lr=" + constant : "sgd");
            SplittableRandom noise = new SplittableRandom(seed);
            Tensor x = Tensor.zeros(dev.ravine.tensor.DType.FLOAT64, 1, DIMENSIONS), g = Tensor.zeros(x.dtype, 1, DIMENSIONS);
            for (int i = 0; i < DIMENSIONS; i++) x.set(i, 1);
            int points = 200;
            double[] k = new double[points], msq = new double[points];
            double sum = 0;
            int kept = 0;
            for (int step = 0; step < STEPS; step++) {
                for (int i = 0; i < DIMENSIONS; i++) g.set(i, x.get(i) + sigma * Experiment.gaussian(noise));
                method.step(x, g, rates[r].at(step));
                Tensor seen = averaged ? method.state().get("ax") : x;
                double m = 0;
                for (int i = 0; i < DIMENSIONS; i++) m += seen.get(i) * seen.get(i);
                m /= DIMENSIONS;
                if (step >= STEPS - STEPS / 10) {
                    sum += m;
                    kept++;
                }
                int p = (int) Math.floor(points * Math.log(step + 1) / Math.log(STEPS)); // log-spaced samples for the figure
                if (p < points) {
                    k[p] = step + 1;
                    msq[p] = m;
                }
            }
            tail[r] = sum / kept;
            c.add(labels[r], k, msq);
            runs.put(labels[r], Experiment.inOrder("mean_x_squared_over_last_tenth", tail[r]));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("dimensions", DIMENSIONS);
        numbers.put("steps", STEPS);
        numbers.put("sigma", sigma);
        numbers.put("constant_lr", constant);
        numbers.put("predicted_noise_floor", floor);
        numbers.put("runs", runs);
        List<String> wrong = new java.util.ArrayList<>();
        if (!(tail[0] > 0.5 * floor && tail[0] < 2 * floor))
            wrong.add(String.format(Locale.ROOT, "the constant rate ended at %.3g, not near the noise floor %.3g", tail[0], floor));
        if (!(tail[1] < 0.1 * tail[0])) wrong.add(String.format(Locale.ROOT, "the Robbins-Monro schedule ended at %.3g, not well below the constant "
                + "rate's %.3g", tail[1], tail[0]));
        if (!(tail[2] > tail[0])) wrong.add(String.format(Locale.ROOT, "the summable schedule ended at %.3g, below the constant rate's %.3g", tail[2], tail[0]));
        if (!(tail[3] < 0.1 * tail[0])) wrong.add(String.format(Locale.ROOT, "the average of the constant rate's iterates ended at %.3g, not well "
                + "below the iterates' %.3g", tail[3], tail[0]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "the constant rate stalls at %.3g (predicted %.3g), 1/(k + 10) reaches "
                + "%.2g, 1/(k + 2)^2 stops at %.3g, and the average of the constant rate's iterates reaches %.2g", tail[0], floor, tail[1], tail[2],
                tail[3]));
        return new Result(verdict, numbers, List.of(c));
    }
}
