package dev.ravine.experiment;

import dev.ravine.curvature.Interpolation;
import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Linear mode connectivity (Frankle et al. 2020): two copies of a network trained from the same initialization, whose
 * only difference is the order SGD draws the data in, end in one basin: the training loss along the straight line
 * between them stays as low as at its ends (barrier ~0), while two networks trained from different initializations
 * are separated by a barrier. The barrier is the highest loss on the line minus the mean of the two ends', as
 * {@code ravine interpolate --from --to} reports it. On digits (standardized, every row for training),
 * {@code MODEL} trained by {@code OPTIMIZER} for {@code EPOCHS} epochs in float64: run A from seed s, run B from A's
 * initial weights with seed s + 1's data order, run C from seed s + 1's own initialization and order.
 */
public final class ModeConnectivity implements Experiment {
    static final String MODEL = "mlp:32:relu", OPTIMIZER = "sgd:lr=0.05,momentum=0.9";
    static final int EPOCHS = 20, POINTS = 21;
    /** The same-start barrier below this share of the different-start one. */
    static final double SHARE = 0.1;
    /** Each run's training loss at its end below this share of the initial weights': a run that diverged has no basin to compare. */
    static final double TRAINED = 0.1;
    private final boolean sameStart;

    public ModeConnectivity() {
        this(true);
    }

    /** With {@code sameStart} false, run B starts from seed s + 2's initialization instead of A's: the claim's premise gone. */
    public ModeConnectivity(boolean sameStart) {
        this.sameStart = sameStart;
    }

    @Override
    public String name() {
        return "mode-connectivity";
    }

    @Override
    public String claim() {
        return "two networks trained by SGD from the same initialization on data in different orders are linearly connected: the loss barrier on "
                + "the line between them is a small fraction of the one between networks trained from different initializations (Frankle et al. 2020)";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** A run on every row with {@code seed}'s initialization and data order, not yet trained. */
    private static TrainingRun run(String data, long seed) {
        return new TrainingRun(Experiment.settings(data, MODEL, OPTIMIZER, DType.FLOAT64, 0, Scaling.ON, new TrainConfig(EPOCHS, 32, true, seed)));
    }

    /** {@code seed}'s run trained from {@code start}'s weights when given, else from its own initialization. */
    private static TrainingRun trained(String data, long seed, double[] start) {
        TrainingRun run = run(data, seed);
        if (start != null) for (int i = 0; i < start.length; i++) run.model.network.parameters().set(i, start[i]);
        run.train(new Trainer.Listener() {
        });
        return run;
    }

    @Override
    public Result run(long seed, String data) {
        TrainingRun a = trained(data, seed, null);
        double[] init = a.initialWeights.toDoubleArray(), wa = a.model.network.parameters().toDoubleArray();
        double[] startB = sameStart ? init : run(data, seed + 2).initialWeights.toDoubleArray();
        double[] wb = trained(data, seed + 1, startB).model.network.parameters().toDoubleArray();
        double[] wc = trained(data, seed + 1, null).model.network.parameters().toDoubleArray();
        FullBatchObjective objective = new FullBatchObjective(a.model.network, a.loss, a.split.train(), null, false);
        double[] alpha = new double[POINTS];
        for (int i = 0; i < POINTS; i++) alpha[i] = i / (POINTS - 1.0);
        double[] oneStart = Interpolation.losses(objective, wa, wb, alpha), otherStart = Interpolation.losses(objective, wa, wc, alpha);
        double same = Interpolation.barrier(oneStart), other = Interpolation.barrier(otherStart);
        double distanceSame = distance(wa, wb), distanceOther = distance(wa, wc);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("optimizer", OPTIMIZER);
        numbers.put("run_b_starts_from", sameStart ? "run A's initial weights" : "its own initialization");
        numbers.put("epochs", EPOCHS);
        numbers.put("alpha", alpha);
        numbers.put("same_start", Experiment.inOrder("train_loss", oneStart, "barrier", same, "distance", distanceSame));
        numbers.put("different_starts", Experiment.inOrder("train_loss", otherStart, "barrier", other, "distance", distanceOther));
        double start = objective.valueAndGradient(init, new double[init.length]);
        double[] ends = {oneStart[0], oneStart[POINTS - 1], otherStart[POINTS - 1]};
        numbers.put("initial_train_loss", start);
        List<String> wrong = new ArrayList<>();
        for (int r = 0; r < ends.length; r++)
            if (!(ends[r] < TRAINED * start))
                wrong.add(String.format(Locale.ROOT, "run %c ended at a training loss of %.3g from %.3g at the start: it did not train", 'A' + r, ends[r], start));
        if (!(other > 0 && same < SHARE * other))
            wrong.add(String.format(Locale.ROOT, "the barrier between runs from one start, %.3g, is not below %s of the one between different starts, %.3g", same,
                    Experiment.num(SHARE), other));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "from one start and two data orders the barrier is %.2g (the solutions "
                + "%.3g apart), from two starts %.3g (%.3g apart)", same, distanceSame, other, distanceOther));
        LineChart c = new LineChart("Training loss on the line between two trained networks", "alpha (0: run A, 1: the other run)", "training loss (log)",
                "Frankle et al. (2020): SGD's noise alone (the data order) does not carry two runs from one start into different basins; "
                        + "different starts end in different ones, with a barrier between them.").logY();
        c.add(sameStart ? "same start, another data order" : "run B: another start and order", alpha, oneStart);
        c.add("another start and order", alpha, otherStart);
        return new Result(verdict, numbers, List.of(c));
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
