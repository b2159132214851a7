package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import java.util.Locale;

/** The training losses by their command-line names. */
public enum LossKind {
    CROSS_ENTROPY, MSE, SIGMOID_MSE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** cross_entropy, mse or sigmoid_mse. */
    public static LossKind parse(String text) {
        for (LossKind k : values()) if (k.label().equals(text)) return k;
        throw new IllegalArgumentException("expected cross_entropy, mse or sigmoid_mse, got " + text);
    }

    /** The loss for a classification task (MSE against one-hot targets for mse), or for regression (mse only). */
    public Loss forTask(boolean classification) {
        if (!classification) {
            if (this != MSE) throw new IllegalArgumentException(label() + " is a classification loss; regression trains with mse");
            return new MeanSquaredError();
        }
        return switch (this) {
            case CROSS_ENTROPY -> new SoftmaxCrossEntropy();
            case MSE -> new OneHotSquaredError(false);
            case SIGMOID_MSE -> new OneHotSquaredError(true);
        };
    }

    /** The default: cross-entropy for classification, mse for regression. */
    public static LossKind defaultFor(boolean classification) {
        return classification ? CROSS_ENTROPY : MSE;
    }
}
