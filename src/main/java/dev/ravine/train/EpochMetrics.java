package dev.ravine.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's figures, under the names of the command-line contract. Figures that do not apply (no validation
 * split, no test set, the other task's metric) are null and left out of every output.
 *
 * @param trainLoss   mean of the epoch's minibatch losses (the data loss, without the penalty)
 * @param penalty     mean over the epoch's steps of the L1/L2 penalty added to it (null without one)
 * @param trainAccuracy the training split's accuracy in evaluation mode after the epoch (classification)
 * @param seconds     training time of the epoch alone, without evaluation
 */
public record EpochMetrics(int epoch, double trainLoss, Double penalty, Double trainAccuracy, Double valLoss, Double valAccuracy,
                           Double valRmse, Double testLoss, Double testAccuracy, double lr, double seconds, double samplesPerS,
                           Map<String, Number> diagnostics) {
    /** Figures that listeners (train --diagnose) add as the epoch ends, after the contract's columns. */
    public EpochMetrics(int epoch, double trainLoss, Double penalty, Double trainAccuracy, Double valLoss, Double valAccuracy,
                        Double valRmse, Double testLoss, Double testAccuracy, double lr, double seconds, double samplesPerS) {
        this(epoch, trainLoss, penalty, trainAccuracy, valLoss, valAccuracy, valRmse, testLoss, testAccuracy, lr, seconds, samplesPerS, new LinkedHashMap<>());
    }

    /** The contract's columns in order, for metrics.csv. */
    public static final String[] COLUMNS = {"epoch", "train_loss", "penalty", "train_accuracy", "val_loss", "val_accuracy", "val_rmse",
            "test_loss", "test_accuracy", "lr", "seconds", "samples_per_s"};

    /** The present figures by column name, in {@link #COLUMNS} order. */
    public Map<String, Object> asMap() {
        Object[] values = {epoch, trainLoss, penalty, trainAccuracy, valLoss, valAccuracy, valRmse, testLoss, testAccuracy, lr, seconds, samplesPerS};
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.length; i++) if (values[i] != null) out.put(COLUMNS[i], values[i]);
        out.putAll(diagnostics);
        return out;
    }
}
