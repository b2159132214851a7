package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.optim.Spec;

/**
 * A training loss as {@code --loss} gives it: the kind, and for cross-entropy PyTorch's {@code label_smoothing}
 * ({@code cross_entropy:label_smoothing=0.1}).
 */
public record LossSpec(LossKind kind, double labelSmoothing) {
    /** The keys cross-entropy takes, with PyTorch's defaults. */
    record CrossEntropyKeys(double labelSmoothing) {
        static final CrossEntropyKeys DEFAULTS = new CrossEntropyKeys(0);
    }

    public LossSpec {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0");
        if (labelSmoothing != 0 && kind != LossKind.CROSS_ENTROPY) throw new IllegalArgumentException("label smoothing belongs to cross_entropy");
    }

    public static LossSpec of(LossKind kind) {
        return new LossSpec(kind, 0);
    }

    /**
     * {@code cross_entropy}, {@code cross_entropy:label_smoothing=X}, {@code mse} or {@code sigmoid_mse}: an unknown
     * name is an {@link IllegalArgumentException}, a wrong key or value a {@link dev.ravine.UserError} naming it.
     */
    public static LossSpec parse(String text) {
        Spec spec = Spec.parse("--loss", text);
        LossKind kind = LossKind.parse(spec.name());
        if (kind != LossKind.CROSS_ENTROPY) {
            if (!spec.values().isEmpty()) throw spec.error(kind.label() + " takes no keys");
            return of(kind);
        }
        try {
            return new LossSpec(kind, spec.bind(CrossEntropyKeys.DEFAULTS).labelSmoothing());
        } catch (IllegalArgumentException e) {
            throw spec.error(e.getMessage());
        }
    }

    /** As {@link #parse} reads it back: the kind's name, with the smoothing when there is one. */
    public String label() {
        return labelSmoothing == 0 ? kind.label() : kind.label() + ":label_smoothing=" + labelSmoothing;
    }

    /** The loss for a classification task, or for regression (mse only). */
    public Loss forTask(boolean classification) {
        if (classification && kind == LossKind.CROSS_ENTROPY) return new SoftmaxCrossEntropy(labelSmoothing);
        return kind.forTask(classification);
    }

    /** The default: cross-entropy for classification, mse for regression. */
    public static LossSpec defaultFor(boolean classification) {
        return of(LossKind.defaultFor(classification));
    }
}
