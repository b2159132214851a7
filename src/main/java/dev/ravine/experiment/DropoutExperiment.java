package dev.ravine.experiment;

import dev.ravine.nn.Dropout;
import dev.ravine.report.LineChart;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dropout regularizes (Srivastava et al. 2014): each step trains a random thinned network, so units cannot
 * co-adapt to the training rows, and the full network predicts as an average of the thinned ones. The network that
 * {@code early-stopping} overfits (far more parameters than training rows, trained well past its best epoch) is
 * trained twice from the same initialization and data order, without and with {@code --dropout P}: with dropout its
 * lowest validation loss comes later, and after the last epoch its validation loss is lower.
 */
public final class DropoutExperiment implements Experiment {
    /** Dropout's last validation loss is at most this share of the plain run's. */
    static final double LOWER = 0.9;
    private final String model, optimizer;
    private final int epochs;
    private final double p;

    public DropoutExperiment() {
        this(0.5);
    }

    public DropoutExperiment(double p) {
        this.model = "mlp:256-256:relu";
        this.optimizer = "adam:lr=0.0003";
        this.epochs = 100;
        this.p = p;
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String claim() {
        return "dropout regularizes: trained long past its best epoch, a large network with dropout starts overfitting later and ends with a lower "
                + "validation loss than without (Srivastava et al. 2014)";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    /** Each epoch's training and validation loss. */
    private record Curves(double[] train, double[] val) {
        int bestEpoch() {
            int best = 0;
            for (int e = 1; e < val.length; e++) if (val[e] < val[best]) best = e;
            return best + 1;
        }

        double last() {
            return val[val.length - 1];
        }
    }

    private Curves curves(String data, long seed, Dropout dropout) {
        TrainingRun run = EarlyStoppingExperiment.overfitting(data, seed, model, optimizer, epochs, null, dropout);
        Experiment.classification(name(), data, run.split.train());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        return new Curves(history.stream().mapToDouble(EpochMetrics::trainLoss).toArray(), history.stream().mapToDouble(EpochMetrics::valLoss).toArray());
    }

    @Override
    public Result run(long seed, String data) {
        Curves plain = curves(data, seed, null), dropped = curves(data, seed, new Dropout(p, Dropout.Style.INVERTED, seed));
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("optimizer", optimizer);
        numbers.put("epochs", epochs);
        numbers.put("dropout", p);
        numbers.put("lowest_val_loss_epoch", Experiment.inOrder("without_dropout", plain.bestEpoch(), "with_dropout", dropped.bestEpoch()));
        numbers.put("last_val_loss", Experiment.inOrder("without_dropout", plain.last(), "with_dropout", dropped.last()));
        numbers.put("last_train_loss", Experiment.inOrder("without_dropout", plain.train()[epochs - 1], "with_dropout", dropped.train()[epochs - 1]));
        numbers.put("val_loss", Experiment.inOrder("without_dropout", plain.val(), "with_dropout", dropped.val()));
        numbers.put("train_loss", Experiment.inOrder("without_dropout", plain.train(), "with_dropout", dropped.train()));
        List<String> wrong = new ArrayList<>();
        if (!(dropped.bestEpoch() > plain.bestEpoch()))
            wrong.add(String.format(Locale.ROOT, "with dropout the validation loss was lowest at epoch %d, not later than without it (%d)", dropped.bestEpoch(),
                    plain.bestEpoch()));
        if (!(dropped.last() <= LOWER * plain.last()))
            wrong.add(String.format(Locale.ROOT, "with dropout the last validation loss was %.4g against %.4g without, not %.0f%% lower", dropped.last(),
                    plain.last(), 100 * (1 - LOWER)));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "with dropout %s the validation loss was lowest at epoch %d (without: "
                        + "%d) and ended at %.4g against %.4g, %.0f%% lower, while the training loss ended at %.3g against %.3g", p, dropped.bestEpoch(),
                plain.bestEpoch(), dropped.last(), plain.last(), 100 * (1 - dropped.last() / plain.last()), dropped.train()[epochs - 1],
                plain.train()[epochs - 1]));
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) x[e] = e + 1;
        LineChart c = new LineChart("Learning curves, " + model + ", " + optimizer, "epoch", "loss", "Without dropout the training loss falls "
                + "towards zero and the validation loss turns up early; with it the training loss stays higher and the validation loss turns later "
                + "and less.").logY().legendBelow();
        c.add("training loss", x, plain.train());
        c.add("validation loss", x, plain.val());
        c.add("training loss, dropout " + p, x, dropped.train());
        c.add("validation loss, dropout " + p, x, dropped.val());
        return new Result(verdict, numbers, List.of(c));
    }
}
