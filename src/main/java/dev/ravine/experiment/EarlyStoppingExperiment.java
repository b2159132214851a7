package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.Divergence;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Penalty;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overfitting and early stopping (Goodfellow et al. 2016, section 7.8, figure 7.3): a network with far more
 * parameters than training rows drives its training loss towards zero, while its validation loss reaches a lowest
 * point and then climbs, the learning curve's U. Early stopping watches the validation loss and keeps the weights of
 * its lowest epoch, which makes it a regularizer (for a quadratic, one equivalent to L2). The same run twice from the
 * same initialization and data order: once for every epoch, once with {@code --early-stop patience=PATIENCE}; the
 * second follows the first step for step until it stops, so its restored weights are the first's at the stopping
 * point's best epoch.
 */
public final class EarlyStoppingExperiment implements Experiment {
    static final int PATIENCE = 10;
    /** The validation loss "rises" when it ends at least this many times its lowest value. */
    static final double RISE = 1.2;
    /** The training loss "goes on falling" when it ends at most this share of its value at the best epoch. */
    static final double FALL = 0.5;
    private final String model, optimizer;
    private final int epochs;

    public EarlyStoppingExperiment() {
        this("mlp:256-256:relu", "adam:lr=0.0003", 100);
    }

    public EarlyStoppingExperiment(String model, String optimizer, int epochs) {
        this.model = model;
        this.optimizer = optimizer;
        this.epochs = epochs;
    }

    @Override
    public String name() {
        return "early-stopping";
    }

    @Override
    public String claim() {
        return "past the epoch of its lowest validation loss a large network goes on lowering its training loss while the validation "
                + "loss climbs (overfitting); early stopping keeps that epoch's weights (Goodfellow et al. 2016, section 7.8)";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    private TrainingRun run(String data, long seed, EarlyStopping stop) {
        return overfitting(data, seed, model, optimizer, epochs, stop, null);
    }

    /** A run of {@code model} long enough to overfit, with 30% of the rows held out, and early stopping or dropout when given. */
    static TrainingRun overfitting(String data, long seed, String model, String optimizer, int epochs, EarlyStopping stop,
                                   dev.ravine.nn.Dropout dropout) {
        TrainConfig loop = new TrainConfig(epochs, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, stop, Divergence.STOP, dropout,
                null, null);
        return new TrainingRun(Experiment.settings(data, model, optimizer, DType.FLOAT32, 0.3, Scaling.ON, loop));
    }

    @Override
    public Result run(long seed, String data) {
        TrainingRun whole = run(data, seed, null);
        Experiment.classification(name(), data, whole.split.train());
        List<EpochMetrics> history = whole.train(new Trainer.Listener() {
        });
        TrainingRun stopped = run(data, seed, new EarlyStopping(PATIENCE, 0, true));
        List<EpochMetrics> stoppedHistory = stopped.train(new Trainer.Listener() {
        });
        EarlyStopping.Outcome outcome = stopped.stopping();

        double[] x = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] train = history.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
        double[] val = history.stream().mapToDouble(EpochMetrics::valLoss).toArray();
        int best = 0;
        for (int e = 1; e < val.length; e++) if (val[e] < val[best]) best = e;
        int bestEpoch = best + 1, last = val.length - 1;
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("optimizer", optimizer);
        numbers.put("epochs", epochs);
        numbers.put("training_rows", whole.split.train().rows());
        numbers.put("parameters", whole.model.network.parameterCount());
        numbers.put("lowest_val_loss_epoch", bestEpoch);
        numbers.put("lowest_val_loss", val[best]);
        numbers.put("last_val_loss", val[last]);
        numbers.put("train_loss_at_lowest_val_loss", train[best]);
        numbers.put("last_train_loss", train[last]);
        numbers.put("val_accuracy_at_lowest_val_loss", history.get(best).valAccuracy());
        numbers.put("last_val_accuracy", history.get(last).valAccuracy());
        Map<String, Object> early = new LinkedHashMap<>();
        early.put("patience", PATIENCE);
        early.put("epochs_run", stoppedHistory.size());
        early.put("restored_epoch", outcome.bestEpoch());
        early.put("restored_val_loss", outcome.bestValLoss());
        early.put("reason", outcome.reason());
        numbers.put("early_stopping", early);
        numbers.put("train_loss", train);
        numbers.put("val_loss", val);

        List<String> wrong = new ArrayList<>();
        if (bestEpoch > 0.75 * epochs)
            wrong.add(String.format(Locale.ROOT, "the validation loss was lowest at epoch %d of %d, not well before the end", bestEpoch, epochs));
        if (val[last] < RISE * val[best])
            wrong.add(String.format(Locale.ROOT, "the validation loss ended at %.4g, less than %.1f times its lowest %.4g", val[last], RISE, val[best]));
        if (train[last] > FALL * train[best])
            wrong.add(String.format(Locale.ROOT, "the training loss ended at %.4g, not below %.1f times its %.4g at epoch %d", train[last], FALL,
                    train[best], bestEpoch));
        if (!outcome.stoppedEarly()) wrong.add("early stopping ran every epoch");
        else if (!(outcome.bestValLoss() < val[last]))
            wrong.add(String.format(Locale.ROOT, "early stopping kept a validation loss of %.4g, no lower than the last epoch's %.4g",
                    outcome.bestValLoss(), val[last]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "the validation loss was lowest, %.4g, at epoch %d and climbed to %.4g "
                + "by epoch %d (%.1fx) while the training loss fell from %.3g to %.3g; early stopping (patience %d) stopped after epoch %d and kept "
                + "epoch %d's weights", val[best], bestEpoch, val[last], epochs, val[last] / val[best], train[best], train[last], PATIENCE,
                stoppedHistory.size(), outcome.bestEpoch()));

        LineChart c = new LineChart("Learning curves, " + model + ", " + optimizer, "epoch", "loss", "The training loss falls all the way; the "
                + "validation loss turns at its lowest point, the epoch early stopping keeps.").logY().legendBelow();
        c.add("training loss", x, train);
        c.add("validation loss", x, val);
        double low = Math.min(java.util.Arrays.stream(train).min().orElse(1), val[best]), high = java.util.Arrays.stream(val).max().orElse(1);
        c.add("epoch early stopping keeps", new double[] {outcome.bestEpoch(), outcome.bestEpoch()}, new double[] {low, high});
        return new Result(verdict, numbers, List.of(c));
    }
}
