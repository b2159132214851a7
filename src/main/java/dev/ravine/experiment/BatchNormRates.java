package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Threads;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch normalization allows much higher learning rates (Ioffe &amp; Szegedy 2015, section 3.3): a unit's output no
 * longer grows with the scale of its incoming weights, so a large step that inflates them does not inflate the next
 * layer's inputs and gradients with it, and training that would blow up settles instead. The same two-layer ReLU
 * network on digits is trained with plain SGD at each of a ladder of rates, without and with {@code --batchnorm}; a
 * run "trains" when it ends above {@code TRAINS} validation accuracy without diverging. The claim holds when batch
 * norm trains at every rate the plain network does and at a rate at least twice the plain network's largest.
 */
public final class BatchNormRates implements Experiment {
    static final int EPOCHS = 10;
    static final double TRAINS = 0.9;
    static final String MODEL = "mlp:128-128:relu";
    private final double[] rates;

    public BatchNormRates() {
        this(new double[] {0.1, 0.25, 0.5, 1, 2, 4});
    }

    public BatchNormRates(double[] rates) {
        this.rates = rates.clone();
    }

    @Override
    public String name() {
        return "batchnorm-rates";
    }

    @Override
    public String claim() {
        return "batch normalization lets a network train at learning rates where the same network without it breaks down (Ioffe and Szegedy 2015)";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** The last epoch's validation accuracy, 0 when the run diverged. */
    private double accuracy(String data, long seed, double lr, boolean batchNorm) {
        TrainingRun run = new TrainingRun(new RunSettings(data, null, "auto", MODEL, batchNorm, "sgd:lr=" + lr, "torch", DType.FLOAT32,
                Threads.available(), 0.2, Scaling.ON, new TrainConfig(EPOCHS, 32, true, seed), null, List.of(), 0));
        Experiment.classification(name(), data, run.split.train());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        Double last = history.isEmpty() ? null : history.getLast().valAccuracy();
        return run.divergence() != null || last == null ? 0 : last;
    }

    @Override
    public Result run(long seed, String data) {
        double[] plain = new double[rates.length], normalized = new double[rates.length];
        double plainLargest = 0, normalizedLargest = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < rates.length; i++) {
            plain[i] = accuracy(data, seed, rates[i], false);
            normalized[i] = accuracy(data, seed, rates[i], true);
            if (plain[i] >= TRAINS) plainLargest = Math.max(plainLargest, rates[i]);
            if (normalized[i] >= TRAINS) normalizedLargest = Math.max(normalizedLargest, rates[i]);
            if (plain[i] >= TRAINS && normalized[i] < TRAINS)
                wrong.add(String.format(Locale.ROOT, "at lr %s the network trained without batch norm (%.3f) and not with it (%.3f)", rates[i], plain[i],
                        normalized[i]));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("epochs", EPOCHS);
        numbers.put("rates", rates);
        numbers.put("val_accuracy", Experiment.inOrder("without_batchnorm", plain, "with_batchnorm", normalized));
        numbers.put("largest_rate_that_trains", Experiment.inOrder("without_batchnorm", plainLargest, "with_batchnorm", normalizedLargest));
        if (plainLargest == 0) wrong.add("the network did not train without batch norm at any of the rates");
        else if (!(normalizedLargest >= 2 * plainLargest))
            wrong.add(String.format(Locale.ROOT, "the largest rate that trained was %s with batch norm and %s without, not twice it or more",
                    normalizedLargest, plainLargest));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "without batch norm the network trains up to lr %s and breaks down above "
                + "it; with batch norm it trains up to lr %s, %.0f times higher (validation accuracy above %s after %d epochs)", plainLargest,
                normalizedLargest, normalizedLargest / plainLargest, TRAINS, EPOCHS));
        LineChart c = new LineChart("Validation accuracy after " + EPOCHS + " epochs of SGD, " + MODEL + " on " + data, "learning rate",
                "validation accuracy", "Each point a run from the same initialization; a diverged run counts as 0. Batch norm keeps training at rates "
                        + "where the plain network breaks down.").logX().legendBelow();
        c.add("without batch norm", rates, plain);
        c.add("with batch norm", rates, normalized);
        return new Result(verdict, numbers, List.of(c));
    }
}
