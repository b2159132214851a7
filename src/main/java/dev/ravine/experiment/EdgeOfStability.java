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
 * The edge of stability. Cohen et al. (2021): under full-batch gradient descent the sharpness (lambda_max of the
 * training loss's Hessian) rises until it reaches 2/lr, the largest value at which a step along the sharpest
 * direction is stable, and then hovers there while the loss keeps falling, non-monotonically. Cohen et al. (2022):
 * under full-batch Adam the same happens to the preconditioned sharpness, lambda_max of P^-1 H with P Adam's
 * diag(sqrt(v_hat) + eps), whose edge is (2 + 2 beta1) / ((1 - beta1) lr), 38/lr at beta1 = 0.9: there momentum's
 * own recurrence turns unstable along the sharpest preconditioned direction. On digits, a 32-unit tanh MLP with
 * squared error, every row in one batch (5000 is more than digits has), the quantity tracked every {@code EVERY}
 * steps ({@code --track sharpness} or {@code preconditioned_sharpness}). "Reached" is 90% of the edge; "hovers" is
 * within {@code band} of it at every later measurement (10% for gradient descent; 20% for Adam, whose equilibrium
 * swings wider, with the median of those measurements within 5%).
 */
public final class EdgeOfStability implements Experiment {
    static final int STEPS = 1000, EVERY = 25, BATCH = 5000;
    /** Adam's default beta1, which sets its edge. */
    static final double BETA1 = 0.9;
    private final boolean adaptive;
    private final double lr, band, medianBand;

    public EdgeOfStability() {
        this(1.5);
    }

    /** Full-batch gradient descent at {@code lr}. */
    public EdgeOfStability(double lr) {
        this(false, lr);
    }

    private EdgeOfStability(boolean adaptive, double lr) {
        this.adaptive = adaptive;
        this.lr = lr;
        this.band = adaptive ? 0.2 : 0.1;
        this.medianBand = adaptive ? 0.05 : Double.POSITIVE_INFINITY;
    }

    /** Full-batch Adam at {@code lr} (Cohen et al. 2022). */
    public static EdgeOfStability adaptive(double lr) {
        return new EdgeOfStability(true, lr);
    }

    @Override
    public String name() {
        return adaptive ? "adaptive-edge-of-stability" : "edge-of-stability";
    }

    @Override
    public String claim() {
        return adaptive ? "under full-batch Adam the preconditioned sharpness rises to (2 + 2 beta1)/((1 - beta1) lr) = 38/lr and then hovers there "
                + "(Cohen et al. 2022)" : "under full-batch gradient descent the sharpness rises to 2/lr and then hovers there (Cohen et al. 2021)";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        TrainConfig loop = new TrainConfig(STEPS, BATCH, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null,
                Divergence.STOP, null, LossSpec.of(LossKind.MSE), null);
        String instrument = adaptive ? "preconditioned_sharpness" : "sharpness", edgeName = adaptive ? "38/lr" : "2/lr";
        RunSettings settings = new RunSettings(data, null, "auto", "mlp:32:tanh", false, (adaptive ? "adam:lr=" : "sgd:lr=") + lr, "torch", DType.FLOAT32,
                dev.ravine.train.Threads.available(), 0.2, Scaling.ON, loop, null, Track.parse(instrument + ":every=" + EVERY), 0);
        TrainingRun run = new TrainingRun(settings);
        if (run.split.train().rows() > BATCH)
            throw dev.ravine.UserError.setting("data", data, "experiment " + name() + " takes full-batch steps of at most " + BATCH + " rows, and this "
                    + "data set trains on " + run.split.train().rows());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        List<Double> steps = new ArrayList<>(), sharpness = new ArrayList<>(), loss = new ArrayList<>();
        for (EpochMetrics m : history) {
            loss.add(m.trainLoss());
            Number s = m.diagnostics().get(instrument);
            if (s != null) {
                steps.add((double) m.epoch());
                sharpness.add(s.doubleValue());
            }
        }
        double limit = adaptive ? (2 + 2 * BETA1) / ((1 - BETA1) * lr) : 2 / lr;
        int reached = -1;
        double worst = 0;
        List<Double> after = new ArrayList<>();
        for (int i = 0; i < sharpness.size(); i++) {
            if (reached < 0 && sharpness.get(i) >= 0.9 * limit) reached = i;
            if (reached >= 0) {
                worst = Math.max(worst, Math.abs(sharpness.get(i) - limit) / limit);
                after.add(sharpness.get(i) / limit);
            }
        }
        double median = after.isEmpty() ? Double.NaN : after.stream().sorted().toList().get(after.size() / 2);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("optimizer", settings.optimizer());
        numbers.put("lr", lr);
        numbers.put(adaptive ? "edge" : "two_over_lr", limit);
        numbers.put("steps", history.size());
        numbers.put("first_sharpness", sharpness.isEmpty() ? null : sharpness.get(0));
        numbers.put("reached_at_step", reached < 0 ? null : steps.get(reached).intValue());
        numbers.put(adaptive ? "largest_relative_distance_from_edge_after" : "largest_relative_distance_from_two_over_lr_after", reached < 0 ? null : worst);
        if (adaptive) numbers.put("median_over_edge_after", reached < 0 ? null : median);
        numbers.put("measured_at_steps", steps);
        numbers.put(instrument, sharpness);
        numbers.put("train_loss", loss);
        String what = adaptive ? "the preconditioned sharpness" : "the sharpness", verdict;
        if (history.size() < STEPS) verdict = "does not hold here, because the run diverged at step " + history.size();
        else if (reached < 0) verdict = String.format(Locale.ROOT, "does not hold here, because %s never reached %s = %.3g (it ended at %.3g)", what,
                edgeName, limit, sharpness.get(sharpness.size() - 1));
        else if (worst > band) verdict = String.format(Locale.ROOT, "does not hold here, because after reaching %s %s strayed %.0f%% from it", edgeName,
                what, 100 * worst);
        else if (Math.abs(median - 1) > medianBand) verdict = String.format(Locale.ROOT, "does not hold here, because after reaching %s %s sat at "
                + "%.2f times it in the median", edgeName, what, median);
        else verdict = String.format(Locale.ROOT, "holds: %s rose from %.3g to %s = %.3g by step %d and stayed within %.1f%% of it%s", what,
                sharpness.get(0), edgeName, limit, steps.get(reached).intValue(), 100 * worst,
                adaptive ? String.format(Locale.ROOT, " (median %.3f times it)", median) : "");
        double[] x = steps.stream().mapToDouble(Double::doubleValue).toArray();
        LineChart c = adaptive
                ? new LineChart("Preconditioned sharpness under full-batch Adam, lr = " + lr, "step", "lambda_max(P^-1 H)", "Adam's preconditioner "
                + "sharpens too, until momentum's recurrence turns unstable at (2 + 2 beta1)/((1 - beta1) lr); there it stays.")
                : new LineChart("Sharpness under full-batch gradient descent, lr = " + lr, "step", "lambda_max", "Progressive sharpening "
                + "carries lambda_max up to 2/lr; there gradient descent stops being stable along the sharpest direction, and instead of "
                + "diverging it keeps the sharpness at the edge.");
        c.add(adaptive ? "preconditioned sharpness" : "sharpness", x, sharpness.stream().mapToDouble(Double::doubleValue).toArray());
        double[] edge = new double[x.length];
        java.util.Arrays.fill(edge, limit);
        c.add(adaptive ? "38 / lr" : "2 / lr", x, edge);
        LineChart l = new LineChart("Training loss", "step", "mean squared error (log)", "Falling over the long run, but not monotonically once at "
                + "the edge.").logY();
        double[] all = new double[loss.size()];
        for (int i = 0; i < all.length; i++) all[i] = i + 1;
        l.add("train", all, loss.stream().mapToDouble(Double::doubleValue).toArray());
        return new Result(verdict, numbers, List.of(c, l));
    }
}
