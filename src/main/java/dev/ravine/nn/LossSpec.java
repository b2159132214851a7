package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.optim.Spec;

/**
 * A training loss as {@code --loss} gives it: the kind and its one hyperparameter, by PyTorch's name and with its
 * default: {@code cross_entropy:label_smoothing=0.1} ({@code CrossEntropyLoss}), {@code huber:delta=0.5}
 * ({@code HuberLoss}), {@code smooth_l1:beta=0.5} ({@code SmoothL1Loss}).
 *
 * @param value the hyperparameter (label_smoothing, delta or beta); 0 for a kind without one
 */
public record LossSpec(LossKind kind, double value) {
    public LossSpec {
        if (kind.key == null && value != 0) throw new IllegalArgumentException(kind.label() + " takes no keys");
        switch (kind) { // PyTorch's checks
            case CROSS_ENTROPY -> {
                if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0");
            }
            case HUBER -> {
                if (!(value > 0) || Double.isInfinite(value)) throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
            }
            case SMOOTH_L1 -> {
                if (!(value >= 0) || Double.isInfinite(value)) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
            }
            default -> {
            }
        }
    }

    /** The kind at its default. */
    public static LossSpec of(LossKind kind) {
        return new LossSpec(kind, kind.defaultValue);
    }

    /**
     * {@code NAME} or {@code NAME:key=X}: an unknown name is an {@link IllegalArgumentException}, a wrong key or value
     * a {@link dev.ravine.UserError} naming it.
     */
    public static LossSpec parse(String text) {
        Spec spec = Spec.parse("--loss", text);
        LossKind kind = LossKind.parse(spec.name());
        if (kind.key == null) {
            if (!spec.values().isEmpty()) throw spec.error(kind.label() + " takes no keys");
            return of(kind);
        }
        try {
            return new LossSpec(kind, switch (kind) { // each key bound by its own name, so messages name it
                case CROSS_ENTROPY -> spec.bind(new CrossEntropyKeys(kind.defaultValue)).labelSmoothing();
                case HUBER -> spec.bind(new HuberKeys(kind.defaultValue)).delta();
                default -> spec.bind(new SmoothL1Keys(kind.defaultValue)).beta();
            });
        } catch (IllegalArgumentException e) {
            throw spec.error(e.getMessage());
        }
    }

    record CrossEntropyKeys(double labelSmoothing) {
    }

    record HuberKeys(double delta) {
    }

    record SmoothL1Keys(double beta) {
    }

    /** As {@link #parse} reads it back: the kind's name, with its value where it is not the default. */
    public String label() {
        return value == kind.defaultValue ? kind.label() : kind.label() + ":" + kind.key + "=" + value;
    }

    /** The loss for a classification task, or for regression; a kind that does not train the task is an {@link IllegalArgumentException}. */
    public Loss forTask(boolean classification) {
        if (classification && !kind.classifies)
            throw new IllegalArgumentException(kind.label() + " is a regression loss; classification trains with cross_entropy, mse or sigmoid_mse");
        if (!classification && !kind.regresses)
            throw new IllegalArgumentException(kind.label() + " is a classification loss; regression trains with mse, huber, smooth_l1 or l1");
        return switch (kind) {
            case CROSS_ENTROPY -> new SoftmaxCrossEntropy(value);
            case MSE -> classification ? new OneHotSquaredError(false) : new MeanSquaredError();
            case SIGMOID_MSE -> new OneHotSquaredError(true);
            case HUBER -> new RobustRegression(RobustRegression.Kind.HUBER, value);
            case SMOOTH_L1 -> new RobustRegression(RobustRegression.Kind.SMOOTH_L1, value);
            case L1 -> new RobustRegression(RobustRegression.Kind.L1, 0);
        };
    }

    /** The default: cross-entropy for classification, mse for regression. */
    public static LossSpec defaultFor(boolean classification) {
        return of(LossKind.defaultFor(classification));
    }
}
