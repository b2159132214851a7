package dev.ravine.experiment;

import dev.ravine.data.Dataset;
import dev.ravine.data.Scaling;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.nn.Mlp;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
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
 * Label smoothing bounds the logits (Szegedy et al. 2016, section 7; Muller et al. 2019). Cross-entropy against a
 * one-hot target is lowest only as the true class's logit runs away from the others, so on rows a network already
 * classifies right training keeps widening the gap. Against the smoothed target q = (1 - eps) onehot + eps / K the
 * loss is lowest where softmax(z) = q, that is where the true logit stands exactly log((1 - eps + eps/K) / (eps/K))
 * above every other: a finite optimum the gap settles at. The same network from the same initialization and data
 * order, trained with each loss; the gap is the true class's logit minus the mean of the others, averaged over the
 * training rows after each epoch.
 */
public final class LabelSmoothing implements Experiment {
    static final int EPOCHS = 40;
    /** The smoothed run's final gap is "at" the optimum within this share of it. */
    static final double NEAR = 0.2;
    private final String model;
    private final double eps;

    public LabelSmoothing() {
        this("mlp:128:relu", 0.1);
    }

    public LabelSmoothing(String model, double eps) {
        this.model = model;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "label-smoothing";
    }

    @Override
    public String claim() {
        return "without label smoothing the gap between a trained network's true-class logit and the others keeps growing; with smoothing eps "
                + "it settles at log((1 - eps + eps/K) / (eps/K)), where softmax meets the smoothed target (Szegedy et al. 2016)";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** The mean logit gap over the training rows after each epoch (epoch 0: the initialization), and the classes K. */
    private record Gaps(double[] byEpoch, int classes) {
    }

    private Gaps gaps(String data, LossSpec loss, long seed) {
        TrainConfig loop = new TrainConfig(EPOCHS, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP, null,
                loss, null);
        TrainingRun run = new TrainingRun(Experiment.settings(data, model, "adam:lr=0.003", DType.FLOAT32, 0.2, Scaling.ON, loop));
        Dataset rows = Experiment.classification(name(), data, run.split.train());
        Mlp probe = new Mlp(run.model.spec, rows.features(), rows.outputs(), DType.FLOAT32, rows.rows());
        Tensor x = probe.network.input(rows.rows());
        for (int i = 0; i < rows.rows(); i++) Dataset.copyRow(rows.x(), i, x, i);
        double[] gap = new double[EPOCHS + 1];
        java.util.Arrays.fill(gap, Double.NaN);
        run.train(new Trainer.Listener() {
            @Override
            public void weights(int epoch, Tensor flat) {
                flat.copyTo(probe.network.parameters());
                Tensor z = probe.network.forward(false);
                int k = z.cols;
                double sum = 0;
                for (int i = 0; i < rows.rows(); i++) {
                    int y = (int) rows.y().get(i);
                    double others = 0;
                    for (int j = 0; j < k; j++) if (j != y) others += z.get(i, j);
                    sum += z.get(i, y) - others / (k - 1);
                }
                gap[epoch] = sum / rows.rows();
            }
        });
        return new Gaps(gap, rows.outputs());
    }

    @Override
    public Result run(long seed, String data) {
        Gaps withoutIt = gaps(data, LossSpec.of(LossKind.CROSS_ENTROPY), seed), withIt = gaps(data, new LossSpec(LossKind.CROSS_ENTROPY, eps), seed);
        double[] plain = withoutIt.byEpoch(), smoothed = withIt.byEpoch();
        int k = withIt.classes();
        double optimum = Math.log((1 - eps + eps / k) / (eps / k)), last = smoothed[EPOCHS], plainLast = plain[EPOCHS];
        double plainThreeQuarters = plain[3 * EPOCHS / 4];
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("optimizer", "adam:lr=0.003");
        numbers.put("epochs", EPOCHS);
        numbers.put("label_smoothing", eps);
        numbers.put("classes", k);
        numbers.put("optimal_gap_with_smoothing", optimum);
        numbers.put("smoothed_gap_by_epoch", smoothed);
        numbers.put("plain_gap_by_epoch", plain);
        List<String> wrong = new ArrayList<>();
        if (!(Math.abs(last - optimum) <= NEAR * optimum))
            wrong.add(String.format(Locale.ROOT, "with smoothing the gap ended at %.3g, not within %.0f%% of the optimum %.3g", last, 100 * NEAR, optimum));
        if (!(plainLast > 1.5 * optimum && plainLast > plainThreeQuarters))
            wrong.add(String.format(Locale.ROOT, "without smoothing the gap ended at %.3g (%.3g at epoch %d), not still growing well past %.3g", plainLast,
                    plainThreeQuarters, 3 * EPOCHS / 4, optimum));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "with eps = %s the mean gap settles at %.3g against the optimum "
                + "log((1 - eps + eps/K)/(eps/K)) = %.3g; without smoothing it is %.3g and still growing (%.3g at epoch %d)", eps, last, optimum,
                plainLast, plainThreeQuarters, 3 * EPOCHS / 4));
        double[] epochs = new double[EPOCHS + 1];
        for (int e = 0; e <= EPOCHS; e++) epochs[e] = e;
        LineChart c = new LineChart("True-class logit minus the others' mean, training rows (" + model + ")", "epoch", "mean logit gap",
                "Cross-entropy on one-hot targets rewards ever larger gaps; the smoothed target is met at a finite gap, the flat optimum.")
                .legendBelow();
        c.add("cross-entropy", epochs, plain);
        c.add("label smoothing " + eps, epochs, smoothed);
        c.add("optimum with smoothing", new double[] {0, EPOCHS}, new double[] {optimum, optimum});
        return new Result(verdict, numbers, List.of(c));
    }
}
