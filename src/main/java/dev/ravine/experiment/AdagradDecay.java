package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AdaGrad divides each weight's step by the root of the sum of all its squared gradients so far, so its effective
 * rate lr / sqrt(sum g^2) can only fall: on a slope that never changes, g every step, it is lr / (|g| sqrt(t)) at step
 * t, and the distance covered after T steps is lr (1 + 1/sqrt(2) + ... + 1/sqrt(T)), about 2 lr sqrt(T). RMSProp
 * divides by the root of a moving average of the squares, which forgets old gradients: on the same slope its steps
 * stay at lr / sqrt(1 - rho^t) >= lr, and it covers about lr T (Goodfellow et al. 2016, 8.5.1-8.5.2: "the
 * accumulation of squared gradients from the beginning of training can result in a premature and excessive decrease
 * in the effective learning rate"). The same on a network: each epoch, the median over the weights of
 * lr / (sqrt(state) + eps), AdaGrad's state the sum, RMSProp's the average, both at PyTorch's defaults.
 */
public final class AdagradDecay implements Experiment {
    static final int SLOPE_STEPS = 10_000, EPOCHS = 30;
    static final String MODEL = "mlp:64:relu";
    /** The slope's gradient, and the rate of both methods (AdaGrad's default). */
    static final double SLOPE = 0.5, RATE = 0.01;
    /** How far AdaGrad's median effective rate must fall from the first epoch to the last. */
    static final double FALL = 2;
    private final double rho;

    public AdagradDecay() {
        this(0.99);
    }

    /** RMSProp's {@code alpha} (its rho), PyTorch's default 0.99. */
    public AdagradDecay(double rho) {
        this.rho = rho;
    }

    @Override
    public String name() {
        return "adagrad-decay";
    }

    @Override
    public String claim() {
        return "AdaGrad's effective learning rate keeps falling as its squared gradients accumulate, like 1/sqrt(t) even on a slope that never changes, "
                + "while RMSProp's moving average forgets them and keeps its steps sized to the recent gradients";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        String[] specs = {"adagrad:lr=" + RATE, "rmsprop:lr=" + RATE + ",alpha=" + rho};
        // the slope f(x) = SLOPE x: the distance each covers, against the closed forms
        double[] covered = new double[2];
        LineChart slope = new LineChart("Distance covered on a constant slope (gradient " + SLOPE + ", lr " + RATE + ")", "step (log)", "distance (log)",
                "AdaGrad's steps shrink like lr / sqrt(t) though the slope never changes; RMSProp's stay at lr and more.").logX().logY().legendBelow();
        for (int r = 0; r < 2; r++) {
            Optimizer method = Optimizers.parse(specs[r]);
            Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1), g = Tensor.zeros(DType.FLOAT64, 1, 1);
            g.set(0, SLOPE);
            List<double[]> points = new ArrayList<>();
            int sampled = -1;
            for (int t = 1; t <= SLOPE_STEPS; t++) {
                method.step(x, g, RATE);
                int p = (int) Math.floor(100 * Math.log(t) / Math.log(SLOPE_STEPS));
                if (p > sampled) points.add(new double[] {t, -x.get(0)});
                sampled = p;
            }
            covered[r] = -x.get(0);
            slope.add(r == 0 ? "adagrad" : "rmsprop, alpha " + rho, points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
        }
        double adagradExact = 0; // lr sum_t g / (sqrt(t g^2) + eps), eps = 1e-10: the closed form but for eps's rounding
        for (int t = 1; t <= SLOPE_STEPS; t++) adagradExact += RATE * SLOPE / (Math.sqrt(t * SLOPE * SLOPE) + 1e-10);

        // the network: each epoch's median effective rate
        double[][] rates = new double[2][EPOCHS + 1];
        double[][] losses = new double[2][EPOCHS];
        for (int r = 0; r < 2; r++) {
            TrainingRun run = new TrainingRun(Experiment.settings(data, MODEL, specs[r], DType.FLOAT64, 0.2, Scaling.ON,
                    new TrainConfig(EPOCHS, 32, true, seed)));
            Experiment.classification(name(), data, run.split.train());
            String state = r == 0 ? "sum" : "square_avg";
            double eps = r == 0 ? 1e-10 : 1e-8;
            double[] rate = rates[r], loss = losses[r];
            List<EpochMetrics> history = run.train(new Trainer.Listener() {
                @Override
                public void epoch(EpochMetrics m) {
                    rate[m.epoch()] = medianRate(run.optimizer.state().get(state), eps);
                }
            });
            for (EpochMetrics m : history) loss[m.epoch() - 1] = m.trainLoss();
        }
        double[] epochs = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) epochs[e] = e + 1;
        LineChart network = new LineChart("Median effective rate over the weights (" + MODEL + ", " + data + ")", "epoch",
                "lr / (sqrt(state) + eps), median (log)", "AdaGrad's sum of squares only grows, so its steps shrink epoch after epoch; "
                        + "RMSProp's average follows the "
                        + "gradients, which fall as the loss does, so its steps grow.").logY().legendBelow();
        network.add("adagrad lr " + RATE, epochs, Arrays.copyOfRange(rates[0], 1, EPOCHS + 1));
        network.add("rmsprop lr " + RATE + ", alpha " + rho, epochs, Arrays.copyOfRange(rates[1], 1, EPOCHS + 1));
        double adagradFall = rates[0][1] / rates[0][EPOCHS], rmspropFall = rates[1][1] / rates[1][EPOCHS];

        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("slope_gradient", SLOPE);
        numbers.put("slope_steps", SLOPE_STEPS);
        numbers.put("lr", RATE);
        numbers.put("rmsprop_alpha", rho);
        numbers.put("slope", Experiment.inOrder("adagrad_distance", covered[0], "adagrad_distance_closed_form", adagradExact,
                "rmsprop_distance", covered[1], "lr_times_steps", RATE * SLOPE_STEPS));
        numbers.put("network", Experiment.inOrder("model", MODEL, "epochs", EPOCHS, "adagrad_median_rate_by_epoch", Arrays.copyOfRange(rates[0], 1, EPOCHS + 1),
                "rmsprop_median_rate_by_epoch", Arrays.copyOfRange(rates[1], 1, EPOCHS + 1), "adagrad_train_loss_by_epoch", losses[0],
                "rmsprop_train_loss_by_epoch", losses[1], "adagrad_rate_fall_first_to_last_epoch", adagradFall,
                "rmsprop_rate_fall_first_to_last_epoch", rmspropFall));
        List<String> wrong = new ArrayList<>();
        if (!(Math.abs(covered[0] - adagradExact) <= 1e-9 * adagradExact))
            wrong.add(String.format(Locale.ROOT, "AdaGrad covered %.6g on the slope, not the %.6g of lr sum 1/sqrt(t)", covered[0], adagradExact));
        if (!(covered[1] >= RATE * SLOPE_STEPS))
            wrong.add(String.format(Locale.ROOT, "RMSProp covered %.4g on the slope, less than lr T = %.4g", covered[1], RATE * SLOPE_STEPS));
        if (!(adagradFall >= FALL))
            wrong.add(String.format(Locale.ROOT, "AdaGrad's median effective rate fell only %.2f-fold over %d epochs", adagradFall, EPOCHS));
        if (!(rmspropFall < 1))
            wrong.add(String.format(Locale.ROOT, "RMSProp's median effective rate fell %.2f-fold over %d epochs as well", rmspropFall, EPOCHS));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "on a constant slope AdaGrad covers %.3g in %,d steps (lr sum 1/sqrt(t)), "
                + "RMSProp %.4g (lr T = %.4g); on %s AdaGrad's median effective rate falls %.1f-fold from epoch 1 to %d while RMSProp's rises %.3g-fold "
                + "(training loss %.3g against %.3g)", covered[0], SLOPE_STEPS, covered[1], RATE * SLOPE_STEPS, data, adagradFall, EPOCHS, 1 / rmspropFall,
                losses[0][EPOCHS - 1], losses[1][EPOCHS - 1]));
        return new Result(verdict, numbers, List.of(slope, network));
    }

    /** The median over the weights of lr / (sqrt(s) + eps), relative to lr: the factor each weight's step is scaled by. */
    private static double medianRate(Tensor state, double eps) {
        double[] r = new double[state.size()];
        for (int i = 0; i < r.length; i++) r[i] = RATE / (Math.sqrt(state.get(i)) + eps);
        Arrays.sort(r);
        return r[r.length / 2];
    }
}
