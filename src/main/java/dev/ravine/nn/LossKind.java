package dev.ravine.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The training losses by their command-line names, each with the one key it takes (PyTorch's name and default), if
 * any, and the tasks it trains: cross-entropy and the squared errors on one-hot targets classify, mse also
 * regresses, and the robust losses (Huber, smooth L1, L1) regress only.
 */
public enum LossKind {
    CROSS_ENTROPY("label_smoothing", 0, true, false),
    MSE(null, 0, true, true),
    SIGMOID_MSE(null, 0, true, false),
    HUBER("delta", 1, false, true),
    SMOOTH_L1("beta", 1, false, true),
    L1(null, 0, false, true);

    /** The key of the loss's one hyperparameter (null: none) and its default. */
    final String key;
    final double defaultValue;
    final boolean classifies, regresses;

    LossKind(String key, double defaultValue, boolean classifies, boolean regresses) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.classifies = classifies;
        this.regresses = regresses;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A loss by its label. */
    public static LossKind parse(String text) {
        for (LossKind k : values()) if (k.label().equals(text)) return k;
        throw new IllegalArgumentException("expected " + labels() + ", got " + text);
    }

    /** Every label, for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(LossKind::label).collect(Collectors.joining(", "));
    }

    /** The default: cross-entropy for classification, mse for regression. */
    public static LossKind defaultFor(boolean classification) {
        return classification ? CROSS_ENTROPY : MSE;
    }
}
