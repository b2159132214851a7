package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.optim.Spec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A training loss as {@code --loss} gives it: the kind and its one hyperparameter, by PyTorch's name and with its
 * default: {@code cross_entropy:label_smoothing=0.1} ({@code CrossEntropyLoss}), {@code huber:delta=0.5}
 * ({@code HuberLoss}), {@code smooth_l1:beta=0.5} ({@code SmoothL1Loss}); and cross-entropy's class weights,
 * {@code cross_entropy:weight=1|4} ({@code CrossEntropyLoss(weight=...)}) or {@code weight=balanced}, scikit-learn's
 * {@code class_weight="balanced"}: n / (K n_k) for class k's n_k of the n training rows, computed by
 * {@link #balancedFor} once the training rows are known.
 *
 * @param value    the hyperparameter (label_smoothing, delta or beta); 0 for a kind without one
 * @param weight   each class's weight, positive; empty for none
 * @param balanced weights still to be computed from the training rows' classes
 */
public record LossSpec(LossKind kind, double value, List<Double> weight, boolean balanced) {
    /** A loss without class weights. */
    public LossSpec(LossKind kind, double value) {
        this(kind, value, List.of(), false);
    }

    public LossSpec {
        weight = List.copyOf(weight);
        if (kind.key == null && value != 0) throw new IllegalArgumentException(kind.label() + " takes no keys");
        if ((!weight.isEmpty() || balanced) && kind != LossKind.CROSS_ENTROPY) throw new IllegalArgumentException("class weights are cross_entropy's");
        if (balanced && !weight.isEmpty()) throw new IllegalArgumentException("weight is balanced or a list, not both");
        for (double w : weight)
            if (!(w > 0 && w < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("class weights must be positive numbers, got " + w);
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
            if (kind == LossKind.CROSS_ENTROPY) {
                CrossEntropyKeys keys = spec.bind(new CrossEntropyKeys(kind.defaultValue, ""));
                boolean balanced = keys.weight().equals("balanced");
                List<Double> weight = balanced || keys.weight().isEmpty() ? List.of()
                        : Arrays.stream(spec.numbers("weight", keys.weight())).boxed().toList();
                return new LossSpec(kind, keys.labelSmoothing(), weight, balanced);
            }
            return new LossSpec(kind, switch (kind) { // each key bound by its own name, so messages name it
                case HUBER -> spec.bind(new HuberKeys(kind.defaultValue)).delta();
                default -> spec.bind(new SmoothL1Keys(kind.defaultValue)).beta();
            });
        } catch (IllegalArgumentException e) {
            throw spec.error(e.getMessage());
        }
    }

    /** {@code weight}: numbers separated by {@code |}, or {@code balanced}; empty for none. */
    record CrossEntropyKeys(double labelSmoothing, String weight) {
    }

    record HuberKeys(double delta) {
    }

    record SmoothL1Keys(double beta) {
    }

    /** As {@link #parse} reads it back: the kind's name, with its value where it is not the default, and its class weights. */
    public String label() {
        String label = value == kind.defaultValue ? kind.label() : kind.label() + ":" + kind.key + "=" + value;
        String weights = balanced ? "balanced" : weight.stream().map(String::valueOf).collect(Collectors.joining("|"));
        return weights.isEmpty() ? label : label + (label.contains(":") ? "," : ":") + "weight=" + weights;
    }

    /**
     * With {@code weight=balanced}, the spec with each class's weight n / (K n_k) from the training rows' class
     * counts, as scikit-learn's {@code compute_class_weight("balanced")}; otherwise this spec. A class without rows
     * is an {@link IllegalArgumentException}.
     */
    public LossSpec balancedFor(long[] counts) {
        if (!balanced) return this;
        long n = Arrays.stream(counts).sum();
        Double[] w = new Double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] == 0) throw new IllegalArgumentException("weight=balanced: class " + k + " has no training rows");
            w[k] = (double) n / ((double) counts.length * counts[k]);
        }
        return new LossSpec(kind, value, List.of(w), false);
    }

    /**
     * The loss for a classification task with {@code outputs} classes, or for regression; a kind that does not train
     * the task, or class weights that are not one a class, is an {@link IllegalArgumentException}.
     */
    public Loss forTask(boolean classification, int outputs) {
        if (classification && !kind.classifies)
            throw new IllegalArgumentException(kind.label() + " is a regression loss; classification trains with cross_entropy, mse or sigmoid_mse");
        if (!classification && !kind.regresses)
            throw new IllegalArgumentException(kind.label() + " is a classification loss; regression trains with mse, huber, smooth_l1 or l1");
        if (balanced) throw new IllegalStateException("weight=balanced is computed from the training rows first (balancedFor)");
        if (!weight.isEmpty() && weight.size() != outputs)
            throw new IllegalArgumentException("weight gives " + weight.size() + " class weights, and the data has " + outputs + " classes");
        return switch (kind) {
            case CROSS_ENTROPY -> new SoftmaxCrossEntropy(value, weight.isEmpty() ? null : weight.stream().mapToDouble(Double::doubleValue).toArray());
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
