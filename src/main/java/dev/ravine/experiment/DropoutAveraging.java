package dev.ravine.experiment;

import dev.ravine.data.Dataset;
import dev.ravine.data.Scaling;
import dev.ravine.nn.Dropout;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.Divergence;
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
 * Dropout trains an ensemble of thinned networks that share weights, and inference with the full network, its
 * units scaled by their keep probability (here the inverted style's training-time 1/(1 - p), as PyTorch does),
 * stands in for averaging them (Srivastava et al. 2014, section 7.5). A network trained with dropout {@code p} on
 * digits is evaluated on its validation rows three ways: the plain (weight-scaled) network once; the average of the
 * predicted probabilities of {@code MASKS} thinned networks, each with its own random masks (Monte Carlo model
 * averaging); and each thinned network alone. The scaled network classifies about as well as the average (the
 * paper's comparison, by error), and better than a thinned network on its own; the average of probabilities is the
 * better calibrated of the two, with the lower validation loss (Gal &amp; Ghahramani 2016 make that average their
 * predictive distribution).
 */
public final class DropoutAveraging implements Experiment {
    static final String MODEL = "mlp:256-256:relu", OPTIMIZER = "adam:lr=0.001";
    static final int EPOCHS = 20, MASKS = 100;
    /**
     * The scaled network's validation accuracy within this of the average's (one point), and a thinned network's on
     * average at least this below it.
     */
    static final double CLOSE = 0.01, THINNED = 0.01;
    private final double p;

    public DropoutAveraging() {
        this(0.5);
    }

    /** The dropout probability; near 0 a thinned network is the whole one and nothing separates the three. */
    public DropoutAveraging(double p) {
        this.p = p;
    }

    @Override
    public String name() {
        return "dropout-averaging";
    }

    @Override
    public String claim() {
        return "the full network at inference, its units scaled by their keep probability, classifies about as well as the average of many "
                + "thinned networks with random dropout masks, and better than one thinned network alone (Srivastava et al. 2014)";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        TrainConfig loop = new TrainConfig(EPOCHS, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP,
                new Dropout(p, Dropout.Style.INVERTED, seed), null, null);
        TrainingRun run = new TrainingRun(Experiment.settings(data, MODEL, OPTIMIZER, DType.FLOAT64, 0.3, Scaling.ON, loop));
        Dataset val = Experiment.classification(name(), data, run.split.validation());
        run.train(new Trainer.Listener() {
        });
        var net = run.model.network;
        ClassProbabilities scaled = ClassProbabilities.of(net, val); // inference: the whole network, no masks
        int n = val.rows(), classes = val.outputs(), chunk = net.capacity();
        double[][] average = new double[n][classes];
        double[] q = new double[classes], thinnedLoss = new double[MASKS], thinnedAccuracy = new double[MASKS];
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            Tensor x = net.input(rows);
            for (int i = 0; i < rows; i++) Dataset.copyRow(val.x(), start + i, x, i);
            for (int k = 0; k < MASKS; k++) {
                Tensor out = net.forward(true); // fresh masks for every row
                for (int i = 0; i < rows; i++) {
                    ClassProbabilities.softmax(out, i, q);
                    int truth = scaled.truth()[start + i];
                    thinnedLoss[k] -= Math.log(q[truth]) / n;
                    if (argmax(q) == truth) thinnedAccuracy[k] += 1.0 / n;
                    for (int c = 0; c < classes; c++) average[start + i][c] += q[c] / MASKS;
                }
            }
        }
        double scaledLoss = 0, averageLoss = 0, scaledAccuracy = 0, averageAccuracy = 0;
        for (int i = 0; i < n; i++) {
            int truth = scaled.truth()[i];
            scaledLoss -= Math.log(scaled.p()[i][truth]) / n;
            averageLoss -= Math.log(average[i][truth]) / n;
            if (scaled.predicted()[i] == truth) scaledAccuracy += 1.0 / n;
            if (argmax(average[i]) == truth) averageAccuracy += 1.0 / n;
        }
        double thinned = mean(thinnedLoss), thinnedAcc = mean(thinnedAccuracy);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("optimizer", OPTIMIZER);
        numbers.put("dropout", p);
        numbers.put("epochs", EPOCHS);
        numbers.put("masks", MASKS);
        numbers.put("validation_loss", Experiment.inOrder("scaled_network", scaledLoss, "average_of_thinned", averageLoss, "one_thinned_mean", thinned));
        numbers.put("validation_accuracy", Experiment.inOrder("scaled_network", scaledAccuracy, "average_of_thinned", averageAccuracy, "one_thinned_mean",
                thinnedAcc));
        numbers.put("thinned_validation_accuracies", thinnedAccuracy);
        numbers.put("thinned_validation_losses", thinnedLoss);
        List<String> wrong = new ArrayList<>();
        if (!(Math.abs(scaledAccuracy - averageAccuracy) <= CLOSE))
            wrong.add(String.format(Locale.ROOT, "the scaled network's validation accuracy %.3f is not within a point of the average's %.3f", scaledAccuracy,
                    averageAccuracy));
        if (!(thinnedAcc <= scaledAccuracy - THINNED))
            wrong.add(String.format(Locale.ROOT, "a thinned network alone has a validation accuracy of %.3f on average, not a point below the scaled "
                    + "network's %.3f", thinnedAcc, scaledAccuracy));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "with dropout %s the scaled network's validation accuracy is %.3f, "
                + "the average of %d thinned networks' %.3f, one thinned network's %.3f on average; %s is the better calibrated (validation "
                + "loss %.4g for the average against the scaled network's %.4g; one thinned network's %.4g)", Experiment.num(p), scaledAccuracy, MASKS,
                averageAccuracy, thinnedAcc, averageLoss < scaledLoss ? "the average" : "the scaled network", averageLoss, scaledLoss, thinned));
        double[] k = new double[MASKS];
        LineChart c = new LineChart("Validation accuracy: one network against many thinned ones (dropout " + Experiment.num(p) + ")",
                "thinned network", "validation accuracy", "Each point is one thinned network with its own random masks; the lines are the scaled "
                        + "network and the average of all the thinned ones' probabilities.");
        for (int i = 0; i < MASKS; i++) k[i] = i + 1;
        c.addPoints("one thinned network", k, thinnedAccuracy);
        c.add("average of the thinned networks", new double[] {1, MASKS}, new double[] {averageAccuracy, averageAccuracy});
        c.add("scaled network", new double[] {1, MASKS}, new double[] {scaledAccuracy, scaledAccuracy});
        return new Result(verdict, numbers, List.of(c));
    }

    private static int argmax(double[] q) {
        int best = 0;
        for (int c = 1; c < q.length; c++) if (q[c] > q[best]) best = c;
        return best;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
