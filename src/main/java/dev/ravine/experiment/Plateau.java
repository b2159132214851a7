package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.Divergence;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sigmoid outputs with squared error learn slowly where cross-entropy does not (Glorot and Bengio 2010; Goodfellow
 * et al. 2016, section 6.2.2): the squared error's gradient at an output is (p - t) p (1 - p), which vanishes when
 * the sigmoid saturates, whether the output is right or wrong; cross-entropy's is p - t, as large as the mistake. A
 * network whose outputs settle at the classes' base rate sits on a plateau. On digits, the same sigmoid MLP from the
 * same initialization, SGD at the same rate, trained with each loss; "learned" is {@code LEARNED} validation
 * accuracy within {@code EPOCHS} epochs.
 */
public final class Plateau implements Experiment {
    static final int EPOCHS = 30;
    static final double LEARNED = 0.8;
    private final String model;
    private final double lr;

    public Plateau() {
        this("mlp:32-32:sigmoid", 0.1);
    }

    /** The network and the SGD rate both losses train with. */
    public Plateau(String model, double lr) {
        this.model = model;
        this.lr = lr;
    }

    @Override
    public String name() {
        return "plateau";
    }

    @Override
    public String claim() {
        return "sigmoid outputs trained with squared error stall on a plateau where the same network with cross-entropy learns";
    }

    private List<EpochMetrics> train(String data, LossKind loss, long seed) {
        TrainConfig loop = new TrainConfig(EPOCHS, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP, null,
                LossSpec.of(loss),
                null);
        RunSettings settings = Experiment.settings(data, model, "sgd:lr=" + lr, DType.FLOAT32, 0.2, Scaling.ON, loop);
        TrainingRun run = new TrainingRun(settings);
        Experiment.classification(name(), data, run.split.train());
        return run.train(new Trainer.Listener() {
        });
    }

    /** The first epoch whose validation accuracy reaches LEARNED, or -1. */
    private static int learnedAt(List<EpochMetrics> history) {
        for (EpochMetrics m : history) if (m.valAccuracy() >= LEARNED) return m.epoch();
        return -1;
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        List<EpochMetrics> mse = train(data, LossKind.SIGMOID_MSE, seed), ce = train(data, LossKind.CROSS_ENTROPY, seed);
        int mseAt = learnedAt(mse), ceAt = learnedAt(ce);
        double mseLast = mse.get(mse.size() - 1).valAccuracy(), ceLast = ce.get(ce.size() - 1).valAccuracy();
        // the plateau: the squared error's loss over the second half, relative to its first epoch's
        double mseHalf = mse.get(Math.max(0, mse.size() / 2 - 1)).trainLoss(), mseEnd = mse.get(mse.size() - 1).trainLoss();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("optimizer", "sgd:lr=" + lr);
        numbers.put("epochs", EPOCHS);
        numbers.put("learned_at_val_accuracy", LEARNED);
        numbers.put("sigmoid_mse_learned_at_epoch", mseAt < 0 ? null : mseAt);
        numbers.put("cross_entropy_learned_at_epoch", ceAt < 0 ? null : ceAt);
        numbers.put("sigmoid_mse_final_val_accuracy", mseLast);
        numbers.put("cross_entropy_final_val_accuracy", ceLast);
        numbers.put("sigmoid_mse_train_loss_over_the_second_half", new double[] {mseHalf, mseEnd});
        numbers.put("sigmoid_mse_val_accuracy", mse.stream().mapToDouble(EpochMetrics::valAccuracy).toArray());
        numbers.put("cross_entropy_val_accuracy", ce.stream().mapToDouble(EpochMetrics::valAccuracy).toArray());
        List<String> wrong = new java.util.ArrayList<>();
        if (ceAt < 0) wrong.add(String.format(Locale.ROOT, "cross-entropy did not learn either (validation accuracy %.3f after %d epochs)", ceLast, EPOCHS));
        if (mseAt >= 0) wrong.add("squared error on sigmoid outputs learned too, by epoch " + mseAt);
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "cross-entropy reached %.0f%% validation accuracy at epoch %d; squared "
                + "error on sigmoid outputs stalled at %.3f, its loss moving from %.4g to %.4g over the second half", 100 * LEARNED, ceAt, mseLast, mseHalf,
                mseEnd));
        LineChart c = new LineChart("Validation accuracy, " + model + ", sgd lr = " + lr, "epoch", "validation accuracy", "Squared error on a "
                + "saturated sigmoid has almost no gradient, right or wrong; cross-entropy's gradient is the mistake itself.").legendBelow();
        for (var e : Experiment.<List<EpochMetrics>>inOrder("sigmoid outputs + squared error", mse, "softmax + cross-entropy", ce).entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(EpochMetrics::epoch).toArray();
            c.add(e.getKey(), x, e.getValue().stream().mapToDouble(EpochMetrics::valAccuracy).toArray());
        }
        return new Result(verdict, numbers, List.of(c));
    }
}
