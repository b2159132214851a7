package dev.ravine.experiment;

import dev.ravine.curvature.Interpolation;
import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Goodfellow et al. (2015): on the straight line from the initial weights to the trained ones the training loss
 * falls monotonically, with no bump, however winding the path training took. Between two solutions trained from
 * different initializations the line climbs over a barrier instead. On digits (standardized), a 32-unit ReLU MLP
 * trained by Adam for {@code EPOCHS} epochs in float64, the training loss at {@code POINTS} evenly spaced points
 * of the line; a rise of more than {@code BUMP} of the loss at the start is a bump.
 */
public final class LineInterpolation implements Experiment {
    static final int EPOCHS = 20, POINTS = 51;
    static final double BUMP = 1e-6;
    private final boolean betweenSolutions;

    public LineInterpolation() {
        this(false);
    }

    /** With {@code betweenSolutions} the line runs from another seed's trained weights instead of the initial ones. */
    public LineInterpolation(boolean betweenSolutions) {
        this.betweenSolutions = betweenSolutions;
    }

    @Override
    public String name() {
        return "interpolation";
    }

    @Override
    public String claim() {
        return "the training loss falls monotonically along the straight line from the initial weights to the trained ones (Goodfellow et al. 2015)";
    }

    private static TrainingRun trained(String data, long seed) {
        RunSettings s = Experiment.settings(data, "mlp:32:relu", "adam:lr=0.01", DType.FLOAT64, 0.2, Scaling.ON, new TrainConfig(EPOCHS, 32, true, seed));
        TrainingRun run = new TrainingRun(s);
        run.train(new Trainer.Listener() {
        });
        return run;
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        TrainingRun run = trained(data, seed);
        double[] to = run.model.network.parameters().toDoubleArray();
        double[] from = betweenSolutions ? trained(data, seed + 1).model.network.parameters().toDoubleArray() : run.initialWeights.toDoubleArray();
        FullBatchObjective objective = new FullBatchObjective(run.model.network, run.loss, run.split.train(), null, false);
        double[] alpha = new double[POINTS];
        for (int i = 0; i < POINTS; i++) alpha[i] = i / (POINTS - 1.0);
        double[] loss = Interpolation.losses(objective, from, to, alpha);
        double rise = 0;
        int at = -1;
        for (int i = 0; i + 1 < POINTS; i++) { // the largest climb from any point to a later one
            double lowest = loss[i];
            for (int j = i + 1; j < POINTS; j++)
                if (loss[j] - lowest > rise) {
                    rise = loss[j] - lowest;
                    at = j;
                }
        }
        double scale = Math.abs(loss[0]);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("from", betweenSolutions ? "another seed's trained weights" : "the initial weights");
        numbers.put("epochs", EPOCHS);
        numbers.put("alpha", alpha);
        numbers.put("train_loss", loss);
        numbers.put("largest_rise", rise);
        numbers.put("largest_rise_ends_at_alpha", at < 0 ? null : alpha[at]);
        List<String> wrong = new java.util.ArrayList<>();
        if (rise > BUMP * scale)
            wrong.add(String.format(Locale.ROOT, "the loss climbs by %.4g (%.1f%% of where the line starts) up to alpha = %.2f", rise, 100 * rise / scale, alpha[at]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "the loss falls monotonically from %.4f to %.4f along the line, no bump",
                loss[0], loss[POINTS - 1]));
        LineChart c = new LineChart("Training loss on the line " + (betweenSolutions ? "between two solutions" : "from the initial to the trained weights"),
                "alpha (0: " + (betweenSolutions ? "the other solution" : "initial") + ", 1: trained)", "training loss (log)",
                "Goodfellow et al. (2015): from the start to the end of training the straight line meets no obstacle, though training itself "
                        + "took a winding path; two solutions from different starts are separated by a barrier.").logY();
        c.add("train loss", alpha, loss);
        return new Result(verdict, numbers, List.of(c));
    }
}
