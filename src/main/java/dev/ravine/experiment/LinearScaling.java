package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The linear scaling rule (Krizhevsky 2014; Goyal et al. 2017): multiplying the minibatch size by k and the learning
 * rate by k leaves the loss after each epoch about the same. While the rate is small the weights move little over k
 * steps, so k steps of lr on k small batches add up to nearly one step of k lr on their union, and an epoch is the
 * same walk in k times fewer steps. Keeping the rate instead makes each epoch k times shorter a walk. The rule holds
 * until k lr nears the edge of stability, 2/lambda_max. The same network from the same initialization is trained
 * on digits with plain SGD at batch B and rate lr, and at batch k B with rate k lr and with rate lr, for each k.
 */
public final class LinearScaling implements Experiment {
    static final int EPOCHS = 20, BATCH = 32;
    static final int[] FACTORS = {4, 16};
    /** Scaled runs track the base run within this share of its validation loss at every epoch. */
    static final double TRACKS = 0.1;
    /** Runs at the unscaled rate end at least this many times the base run's validation loss. */
    static final double LAGS = 2;
    private final double lr;

    public LinearScaling() {
        this(0.02);
    }

    public LinearScaling(double lr) {
        this.lr = lr;
    }

    @Override
    public String name() {
        return "linear-scaling";
    }

    @Override
    public String claim() {
        return "multiplying the batch size and the learning rate by the same k keeps the loss after each epoch about the same, while the rate is "
                + "small; the batch alone slows each epoch down (Krizhevsky 2014; Goyal et al. 2017)";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** The validation loss after each epoch, at this batch size and rate. */
    private double[] curve(String data, long seed, int batch, double rate) {
        TrainingRun run = new TrainingRun(Experiment.settings(data, "mlp:128:relu", "sgd:lr=" + rate, DType.FLOAT32, 0.2, Scaling.ON, new TrainConfig(EPOCHS, batch, true, seed)));
        Experiment.classification(name(), data, run.split.train());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        return history.stream().mapToDouble(m -> m.valLoss() == null ? Double.NaN : m.valLoss()).toArray();
    }

    @Override
    public Result run(long seed, String data) {
        double[] base = curve(data, seed, BATCH, lr);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("epochs", EPOCHS);
        numbers.put("base", Experiment.inOrder("batch", BATCH, "lr", lr, "val_loss", base));
        List<String> wrong = new ArrayList<>(), found = new ArrayList<>();
        double[] x = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) x[e] = e + 1;
        LineChart c = new LineChart("Validation loss after each epoch, SGD on " + data, "epoch", "validation loss", "Batch and rate scaled together "
                + "trace the same curve; the batch alone, at the same rate, takes k times fewer steps of the same length per epoch.").logY().legendBelow();
        c.add("batch " + BATCH + ", lr " + lr, x, base);
        for (int k : FACTORS) {
            double[] scaled = curve(data, seed, k * BATCH, k * lr), unscaled = curve(data, seed, k * BATCH, lr);
            double worst = 0;
            for (int e = 0; e < EPOCHS; e++) worst = Math.max(worst, Double.isFinite(scaled[e]) ? Math.abs(scaled[e] / base[e] - 1) : Double.POSITIVE_INFINITY);
            double lag = unscaled[EPOCHS - 1] / base[EPOCHS - 1];
            numbers.put("k" + k, Experiment.inOrder("batch", k * BATCH, "scaled_lr", k * lr, "scaled_val_loss", scaled, "largest_relative_distance_scaled",
                    worst, "unscaled_val_loss", unscaled, "unscaled_last_over_base_last", lag));
            if (!(worst <= TRACKS))
                wrong.add(String.format(Locale.ROOT, "at batch %d and lr %s the validation loss strayed %.0f%% from the base run's", k * BATCH,
                        num(k * lr), 100 * worst));
            if (!(lag >= LAGS))
                wrong.add(String.format(Locale.ROOT, "at batch %d and the base rate the last validation loss was only %.2f times the base run's", k * BATCH,
                        lag));
            found.add(String.format(Locale.ROOT, "batch %d at lr %s stays within %.1f%% of it at every epoch, at lr %s it ends %.1f times higher",
                    k * BATCH, num(k * lr), 100 * worst, num(lr), lag));
            c.add("batch " + k * BATCH + ", lr " + num(k * lr), x, scaled);
            c.add("batch " + k * BATCH + ", lr " + num(lr), x, unscaled);
        }
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "against batch %d at lr %s (validation loss %.3f after %d epochs), %s",
                BATCH, num(lr), base[EPOCHS - 1], EPOCHS, String.join("; ", found)));
        return new Result(verdict, numbers, List.of(c));
    }

    private static String num(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
