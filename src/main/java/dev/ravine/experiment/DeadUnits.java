package dev.ravine.experiment;

import dev.ravine.curvature.UnitHealth;
import dev.ravine.data.Scaling;
import dev.ravine.nn.Mlp;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dying ReLUs: a step too large can push a unit's bias and weights so far that its pre-activation is negative on
 * every input; then its gradient is zero on every input too, and it never comes back. On digits with the raw pixel
 * values (0 to 16, so the first layer's steps are large), a 64-unit ReLU MLP trained by SGD at several learning
 * rates from the same initialization; after each epoch, the share of hidden units that output zero on every
 * training row. With most units dead the network's output hardly depends on its input, and the loss stays near
 * ln(classes), chance.
 */
public final class DeadUnits implements Experiment {
    static final int EPOCHS = 10;
    static final String MODEL = "mlp:64:relu";
    /** Killed: at least this share dead at the end at the largest rate; spared: at most this much more than at the start, at the smallest. */
    static final double KILLED = 0.5, SPARED = 0.1;
    private final double[] rates;

    public DeadUnits() {
        this(0.01, 0.03, 0.1, 0.3);
    }

    /** The SGD learning rates, smallest first. */
    public DeadUnits(double... rates) {
        this.rates = rates.clone();
    }

    @Override
    public String name() {
        return "dead-units";
    }

    @Override
    public String claim() {
        return "a learning rate that is too large kills ReLU units, which output zero on every input from then on; a small one spares them";
    }

    /** The share of dead units after each epoch (index 0: initialization), and each epoch's training loss. */
    private record Run(double[] dead, double[] loss, int classes) {
    }

    private Run train(String data, double lr, long seed) {
        RunSettings s = Experiment.settings(data, MODEL, "sgd:lr=" + lr, DType.FLOAT64, 0.2, Scaling.OFF, new TrainConfig(EPOCHS, 32, true, seed));
        TrainingRun run = new TrainingRun(s);
        var rows = Experiment.classification(name(), data, run.split.train());
        Mlp probe = new Mlp(run.model.spec, rows.features(), rows.outputs(), DType.FLOAT64, rows.rows());
        double[] dead = new double[EPOCHS + 1], loss = new double[EPOCHS];
        java.util.Arrays.fill(dead, Double.NaN); // a run that diverges stops early
        java.util.Arrays.fill(loss, Double.NaN);
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
            @Override
            public void weights(int epoch, Tensor flat) {
                flat.copyTo(probe.network.parameters());
                dead[epoch] = UnitHealth.countsOf(probe.network, rows).get(0).deadShare();
            }
        });
        for (EpochMetrics m : history) loss[m.epoch() - 1] = m.trainLoss();
        return new Run(dead, loss, rows.outputs());
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        Run[] runs = new Run[rates.length];
        for (int r = 0; r < rates.length; r++) runs[r] = train(data, rates[r], seed);
        Map<String, Object> byRate = new LinkedHashMap<>();
        LineChart c = new LineChart("Dead ReLU units during training (" + MODEL + ", raw " + data + " features)", "epoch", "share of hidden units dead on "
                + "every training row", "A unit pushed negative on every input gets no gradient on any input: it stays dead.").legendBelow();
        double[] epochs = new double[EPOCHS + 1];
        for (int e = 0; e <= EPOCHS; e++) epochs[e] = e;
        for (int r = 0; r < rates.length; r++) {
            c.add("sgd lr " + rates[r], epochs, runs[r].dead());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dead_share_by_epoch", runs[r].dead());
            m.put("train_loss_by_epoch", runs[r].loss());
            byRate.put(Double.toString(rates[r]), m);
        }
        Run small = runs[0], large = runs[rates.length - 1];
        double chance = Math.log(small.classes());
        double smallRise = last(small.dead()) - small.dead()[0], largeEnd = last(large.dead());
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("epochs", EPOCHS);
        numbers.put("chance_loss_ln_classes", chance);
        numbers.put("rates", byRate);
        List<String> wrong = new java.util.ArrayList<>();
        double smallest = rates[0], largest = rates[rates.length - 1];
        if (!(largeEnd >= KILLED)) wrong.add(String.format(Locale.ROOT, "at lr %s only %.0f%% of the units were dead at the end", largest, 100 * largeEnd));
        if (!(smallRise <= SPARED))
            wrong.add(String.format(Locale.ROOT, "at lr %s the dead share rose by %.0f points too", smallest, 100 * smallRise));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "at lr %s the dead share went from %.0f%% to %.0f%% (training loss %.3g, "
                        + "chance is %.3g); at lr %s it went from %.0f%% to %.0f%%", largest, 100 * large.dead()[0], 100 * largeEnd, last(large.loss()),
                chance, smallest, 100 * small.dead()[0], 100 * last(small.dead())));
        return new Result(verdict, numbers, List.of(c));
    }

    /** The last measured value (a diverged run stops early). */
    private static double last(double[] values) {
        for (int i = values.length - 1; i >= 0; i--) if (!Double.isNaN(values[i])) return values[i];
        return Double.NaN;
    }
}
