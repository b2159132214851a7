package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.data.Dataset;
import dev.ravine.data.Scaling;
import dev.ravine.nn.Mlp;
import dev.ravine.optim.Sam;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Divergence;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.FullBatchObjective;
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
 * Sharpness-aware minimization stands at flatter points (Foret et al. 2021). The same network from the same
 * initialization and data order is trained by the same optimizer with and without SAM, and after every epoch the
 * training loss and the largest eigenvalue of its Hessian are measured on all training rows. Under cross-entropy the
 * sharpness falls as the loss does (the softmax saturates as the logits grow), and SAM moves the loss at its own pace,
 * so comparing the runs at the same epoch would mix the two effects: they are compared at the same training loss,
 * the higher of the two final ones, each run's lambda_max there interpolated in log loss between the epochs around it.
 */
public final class SharpnessAware implements Experiment {
    static final int EPOCHS = 40;
    /** At the matched loss SAM's lambda_max is below the plain run's by at least this share. */
    static final double FLATTER = 0.15;
    private final String model, optimizer;
    private final double rho;

    public SharpnessAware() {
        this("mlp:128:relu", "sgd:lr=0.1", 0.2);
    }

    public SharpnessAware(String model, String optimizer, double rho) {
        this.model = model;
        this.optimizer = optimizer;
        this.rho = rho;
    }

    @Override
    public String name() {
        return "sharpness-aware";
    }

    @Override
    public String claim() {
        return "at the same training loss, a network trained with sharpness-aware minimization (SAM) stands at a flatter point than one trained by "
                + "the same optimizer without it: the Hessian's lambda_max is lower (Foret et al. 2021)";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** The full training loss and lambda_max after each epoch (epoch 0: the initialization), and the last validation accuracy. */
    private record Path(double[] loss, double[] sharpness, Double valAccuracy) {
        /** lambda_max where the loss first falls to {@code target}, interpolated in log loss; NaN if it never does. */
        double sharpnessAt(double target) {
            int e = crossing(target);
            if (e < 0) return Double.NaN;
            if (e == 0) return sharpness[0];
            double t = Math.log(loss[e - 1] / target) / Math.log(loss[e - 1] / loss[e]);
            return sharpness[e - 1] + t * (sharpness[e] - sharpness[e - 1]);
        }

        /** The first epoch whose loss is at or below {@code target}, or -1. */
        int crossing(double target) {
            for (int e = 0; e < loss.length; e++) if (loss[e] <= target) return e;
            return -1;
        }
    }

    private Path path(String data, Sam sam, long seed) {
        TrainConfig loop = new TrainConfig(EPOCHS, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP, null, null,
                null, null, sam, null);
        TrainingRun run = new TrainingRun(Experiment.settings(data, model, optimizer, DType.FLOAT64, 0.2, Scaling.ON, loop));
        Dataset rows = Experiment.classification(name(), data, run.split.train());
        Mlp probe = new Mlp(run.model.spec, rows.features(), rows.outputs(), DType.FLOAT64, rows.rows());
        FullBatchObjective objective = new FullBatchObjective(probe.network, run.loss, rows, null, false);
        TopEigen.Follower top = new TopEigen.Follower(1e-6); // each epoch's measurement starts from the last one's eigenvector
        double[] loss = new double[EPOCHS + 1], sharpness = new double[EPOCHS + 1];
        java.util.Arrays.fill(loss, Double.NaN);
        java.util.Arrays.fill(sharpness, Double.NaN);
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
            @Override
            public void weights(int epoch, Tensor flat) {
                double[] w = flat.toDoubleArray();
                loss[epoch] = objective.valueAndGradient(w, new double[w.length]);
                sharpness[epoch] = top.next(LinearOperator.hessian(objective, w));
            }
        });
        return new Path(loss, sharpness, history.getLast().valAccuracy());
    }

    @Override
    public Result run(long seed, String data) {
        Sam sam = new Sam(rho, false);
        Path plain = path(data, null, seed), aware = path(data, sam, seed);
        double target = Math.max(plain.loss()[EPOCHS], aware.loss()[EPOCHS]);
        double plainAt = plain.sharpnessAt(target), awareAt = aware.sharpnessAt(target);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("optimizer", optimizer);
        numbers.put("sam_rho", rho);
        numbers.put("epochs", EPOCHS);
        numbers.put("matched_training_loss", target);
        numbers.put("lambda_max_at_matched_loss", Experiment.inOrder("without_sam", plainAt, "with_sam", awareAt));
        numbers.put("epoch_reaching_matched_loss", Experiment.inOrder("without_sam", plain.crossing(target), "with_sam", aware.crossing(target)));
        numbers.put("final_lambda_max", Experiment.inOrder("without_sam", plain.sharpness()[EPOCHS], "with_sam", aware.sharpness()[EPOCHS]));
        numbers.put("final_val_accuracy", Experiment.inOrder("without_sam", plain.valAccuracy(), "with_sam", aware.valAccuracy()));
        numbers.put("training_loss_by_epoch", Experiment.inOrder("without_sam", plain.loss(), "with_sam", aware.loss()));
        numbers.put("lambda_max_by_epoch", Experiment.inOrder("without_sam", plain.sharpness(), "with_sam", aware.sharpness()));
        List<String> wrong = new ArrayList<>();
        if (!(awareAt <= (1 - FLATTER) * plainAt))
            wrong.add(String.format(Locale.ROOT, "at the training loss %.3g lambda_max is %.3g with SAM against %.3g without, not %.0f%% lower", target,
                    awareAt, plainAt, 100 * FLATTER));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "at the training loss %.3g (reached at epoch %d without SAM, %d with "
                + "rho = %s) lambda_max is %.3g with SAM against %.3g without, %.0f%% lower", target, plain.crossing(target), aware.crossing(target), rho,
                awareAt, plainAt, 100 * (1 - awareAt / plainAt)));
        LineChart c = new LineChart("Sharpness against training loss, after each epoch (" + model + ", " + optimizer + ")", "training loss (all rows)",
                "lambda_max", "Both runs flatten as the loss falls; at any given loss the one trained with SAM stands lower. The vertical line is the "
                        + "loss the verdict compares them at.").logX().legendBelow();
        c.add("without SAM", plain.loss(), plain.sharpness());
        c.add("SAM, rho " + rho, aware.loss(), aware.sharpness());
        double top = Math.max(max(plain.sharpness()), max(aware.sharpness()));
        c.add("matched loss", new double[] {target, target}, new double[] {0, top});
        return new Result(verdict, numbers, List.of(c));
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElse(Double.NaN);
    }
}
