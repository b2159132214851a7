package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.EpochMetrics;
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
 * The lectures' comparison of optimizers: on the same MLP, data and initialization, plain SGD is the slowest, and
 * momentum, Nesterov's look-ahead, the adaptive methods (AdaGrad, RMSProp, AdaDelta, Adam, Yogi) and the
 * curvature methods (L-BFGS, K-FAC) each end lower in the same number of epochs. Digits (standardized), a 32-unit
 * ReLU MLP, {@code EPOCHS} epochs of batch 32 (L-BFGS takes one full-batch step of up to 20 iterations an epoch),
 * each method at PyTorch's default settings (SGD, which has none, at lr 0.01), over {@code SEEDS} seeds.
 */
public final class OptimizerComparison implements Experiment {
    static final int EPOCHS = 20, SEEDS = 3;
    static final List<String> OTHERS = List.of("sgd:lr=0.01,momentum=0.9", "sgd:lr=0.01,momentum=0.9,nesterov=true", "adagrad", "rmsprop", "adadelta",
            "adam", "yogi", "lbfgs:line_search_fn=strong_wolfe", "kfac");
    private final String sgd;

    public OptimizerComparison() {
        this("sgd:lr=0.01");
    }

    /** Plain SGD's spec, the baseline every other method is held against. */
    public OptimizerComparison(String sgd) {
        this.sgd = sgd;
    }

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String claim() {
        return "from the same initialization, momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, Yogi, L-BFGS and K-FAC each reach a lower training "
                + "loss than plain SGD in the same epochs, on every seed";
    }

    private static double[] trainLosses(String data, String optimizer, long seed) {
        RunSettings s = Experiment.settings(data, "mlp:32:relu", optimizer, DType.FLOAT32, 0.2, Scaling.ON, new TrainConfig(EPOCHS, 32, true, seed));
        List<EpochMetrics> history = new TrainingRun(s).train(new Trainer.Listener() {
        });
        double[] loss = new double[EPOCHS];
        java.util.Arrays.fill(loss, Double.NaN); // a diverged run stops early
        for (EpochMetrics m : history) loss[m.epoch() - 1] = m.trainLoss();
        return loss;
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        List<String> specs = new ArrayList<>(List.of(sgd));
        specs.addAll(OTHERS);
        double[][][] loss = new double[specs.size()][SEEDS][];
        for (int m = 0; m < specs.size(); m++)
            for (int s = 0; s < SEEDS; s++) loss[m][s] = trainLosses(data, specs.get(m), seed + s);
        Map<String, Object> byMethod = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        double[] epochs = new double[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) epochs[e] = e + 1;
        LineChart c = new LineChart("Training loss on " + data + ", mean over " + SEEDS + " seeds", "epoch", "training loss (log)", "Every method from the "
                + "same initial weights; plain SGD (" + sgd + ") is the baseline the others improve on.").logY();
        double worstMargin = Double.POSITIVE_INFINITY, baselineMean = Double.NaN;
        for (int m = 0; m < specs.size(); m++) {
            double[] finals = new double[SEEDS], mean = new double[EPOCHS];
            for (int s = 0; s < SEEDS; s++) {
                finals[s] = loss[m][s][EPOCHS - 1];
                for (int e = 0; e < EPOCHS; e++) mean[e] += loss[m][s][e] / SEEDS;
            }
            c.add(specs.get(m), epochs, mean);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("final_train_loss_by_seed", finals);
            r.put("mean_final_train_loss", mean[EPOCHS - 1]);
            r.put("mean_train_loss_by_epoch", mean);
            byMethod.put(specs.get(m), r);
            if (m == 0) {
                baselineMean = mean[EPOCHS - 1];
                continue;
            }
            int behind = 0;
            for (int s = 0; s < SEEDS; s++) {
                double baseline = loss[0][s][EPOCHS - 1];
                if (finals[s] < baseline) worstMargin = Math.min(worstMargin, baseline / finals[s]);
                else behind++;
            }
            if (behind > 0) wrong.add(String.format(Locale.ROOT, "%s ended no lower than %s on %d of %d seeds (mean %.4g against %.4g)", specs.get(m), sgd,
                    behind, SEEDS, mean[EPOCHS - 1], baselineMean));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", "mlp:32:relu");
        numbers.put("data", data);
        numbers.put("epochs", EPOCHS);
        numbers.put("seeds", SEEDS);
        numbers.put("baseline", sgd);
        numbers.put("methods", byMethod);
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "on each of %d seeds every method ended below plain SGD's training loss "
                + "(the closest %.2fx lower)", SEEDS, worstMargin));
        return new Result(verdict, numbers, List.of(c));
    }
}
