package dev.ravine.nn;

import java.util.Locale;

/**
 * Which function of the weights an analysis of a batch-norm network looks at. {@code EVAL} normalizes with the
 * running statistics, as {@code model.eval()} runs the trained model (and as PyHessian and BackPACK analyse it).
 * {@code TRAIN} normalizes the rows with their own mean and variance, so the loss is the one training descends, its
 * rows coupled through the statistics: the landscape that batch norm is said to make easier.
 */
public enum BatchNormMode {
    TRAIN, EVAL;

    public static BatchNormMode parse(String text) {
        return switch (text) {
            case "train" -> TRAIN;
            case "eval" -> EVAL;
            default -> throw new IllegalArgumentException("unknown batch norm mode '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
