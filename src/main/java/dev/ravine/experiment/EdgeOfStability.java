package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.track.Track;
import dev.ravine.train.Divergence;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cohen et al. (2021): under full-batch gradient descent the sharpness (lambda_max of the training loss's Hessian)
 * rises until it reaches 2/lr, the largest value at which a step along the sharpest direction is stable, and then
 * hovers there while the loss keeps falling, non-monotonically. On digits, a 32-unit tanh MLP with squared error,
 * every row in one batch (5000 is more than digits has), the sharpness tracked every {@code EVERY} steps ({@code --track sharpness}). "Reached" is
 * 90% of 2/lr; "hovers" is within 10% at every later measurement.
 */
public final class EdgeOfStability implements Experiment {
    static final int STEPS = 1000, EVERY = 25, BATCH = 5000;
    private final double lr;

    public EdgeOfStability() {
        this(1.5);
    }

    public EdgeOfStability(double lr) {
        this.lr = lr;
    }

    @Override
    public String name() {
        return "edge-of-stability";
    }

    @Override
    public String claim() {
        return "under full-batch gradient descent the sharpness rises to 2/lr and then hovers there (Cohen et al. 2021)";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        TrainConfig loop = new TrainConfig(STEPS, BATCH, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null,
                Divergence.STOP, null, LossSpec.of(LossKind.MSE), null);
        RunSettings settings = new RunSettings(data, null, "auto", "mlp:32:tanh", false, "sgd:lr=" + lr, "torch", DType.FLOAT32,
                dev.ravine.train.Threads.available(), 0.2, Scaling.ON, loop, null, Track.parse("sharpness:every=" + EVERY), 0);
        TrainingRun run = new TrainingRun(settings);
        if (run.split.train().rows() > BATCH)
            throw dev.ravine.UserError.setting("data", data, "experiment edge-of-stability takes full-batch steps of at most " + BATCH + " rows, and this "
                    + "data set trains on " + run.split.train().rows());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        List<Double> steps = new ArrayList<>(), sharpness = new ArrayList<>(), loss = new ArrayList<>();
        for (EpochMetrics m : history) {
            loss.add(m.trainLoss());
            Number s = m.diagnostics().get("sharpness");
            if (s != null) {
                steps.add((double) m.epoch());
                sharpness.add(s.doubleValue());
            }
        }
        double limit = 2 / lr;
        int reached = -1;
        double worst = 0;
        for (int i = 0; i < sharpness.size(); i++) {
            if (reached < 0 && sharpness.get(i) >= 0.9 * limit) reached = i;
            if (reached >= 0) worst = Math.max(worst, Math.abs(sharpness.get(i) - limit) / limit);
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("lr", lr);
        numbers.put("two_over_lr", limit);
        numbers.put("steps", history.size());
        numbers.put("first_sharpness", sharpness.isEmpty() ? null : sharpness.get(0));
        numbers.put("reached_at_step", reached < 0 ? null : steps.get(reached).intValue());
        numbers.put("largest_relative_distance_from_two_over_lr_after", reached < 0 ? null : worst);
        numbers.put("measured_at_steps", steps);
        numbers.put("sharpness", sharpness);
        numbers.put("train_loss", loss);
        String verdict;
        if (history.size() < STEPS) verdict = "does not hold here, because the run diverged at step " + history.size();
        else if (reached < 0) verdict = String.format(Locale.ROOT, "does not hold here, because the sharpness never reached 2/lr = %.3g (it ended at %.3g)",
                limit, sharpness.get(sharpness.size() - 1));
        else if (worst > 0.1) verdict = String.format(Locale.ROOT, "does not hold here, because after reaching 2/lr the sharpness strayed %.0f%% from it",
                100 * worst);
        else verdict = String.format(Locale.ROOT, "holds: the sharpness rose from %.3g to 2/lr = %.3g by step %d and stayed within %.1f%% of it",
                sharpness.get(0), limit, steps.get(reached).intValue(), 100 * worst);
        double[] x = steps.stream().mapToDouble(Double::doubleValue).toArray();
        LineChart c = new LineChart("Sharpness under full-batch gradient descent, lr = " + lr, "step", "lambda_max", "Progressive sharpening "
                + "carries lambda_max up to 2/lr; there gradient descent stops being stable along the sharpest direction, and instead of "
                + "diverging it keeps the sharpness at the edge.");
        c.add("sharpness", x, sharpness.stream().mapToDouble(Double::doubleValue).toArray());
        double[] edge = new double[x.length];
        java.util.Arrays.fill(edge, limit);
        c.add("2 / lr", x, edge);
        LineChart l = new LineChart("Training loss", "step", "mean squared error (log)", "Falling over the long run, but not monotonically once at "
                + "the edge.").logY();
        double[] all = new double[loss.size()];
        for (int i = 0; i < all.length; i++) all[i] = i + 1;
        l.add("train", all, loss.stream().mapToDouble(Double::doubleValue).toArray());
        return new Result(verdict, numbers, List.of(c, l));
    }
}
