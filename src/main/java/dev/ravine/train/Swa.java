package dev.ravine.train;

import dev.ravine.optim.Spec;
import dev.ravine.optim.schedule.ScheduleSpec;
import dev.ravine.optim.schedule.Schedules;

/**
 * Stochastic weight averaging (Izmailov et al. 2018, "Averaging weights leads to wider optima and better
 * generalization"), as PyTorch's {@code torch.optim.swa_utils} recipe runs it: after each epoch past {@code start}
 * the weights join a running average ({@code AveragedModel}: avg + (w - avg) / (n + 1)), and the rate anneals to
 * {@code lr} over {@code annealEpochs} epochs ({@code SWALR}); the saved model is the average, its batch-norm
 * statistics recomputed by one pass over the training rows ({@code update_bn}). An average of points
 * along the floor of a wide valley lies nearer its middle than any of them: flatter, by the papers' account, and
 * often better on held-out rows.
 *
 * @param start          the epoch after which averaging starts (PyTorch's recipe's {@code swa_start} + 1, its epochs counting from 0)
 * @param lr             SWALR's {@code swa_lr}
 * @param annealEpochs   SWALR's {@code anneal_epochs}
 * @param annealStrategy {@code cos} or {@code linear}
 */
public record Swa(int start, double lr, int annealEpochs, String annealStrategy) {
    public static final Swa DEFAULTS = new Swa(0, Double.NaN, 10, "cos");

    public Swa {
        if (start < 0) throw new IllegalArgumentException("start must be 0 or more, got " + start);
        if (!(lr >= 0) && !Double.isNaN(lr) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be a finite number >= 0, got " + lr);
        if (annealEpochs < 0) throw new IllegalArgumentException("anneal_epochs must be equal or greater than 0, got " + annealEpochs);
        if (!annealStrategy.equals("cos") && !annealStrategy.equals("linear"))
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + annealStrategy);
    }

    /** {@code start=E,lr=X,anneal_epochs=N,anneal_strategy=cos|linear}; lr is required. */
    public static Swa parse(String option, String text) {
        Spec spec = new Spec(option, text, "swa", Spec.parse(option, "swa:" + text).values());
        Swa s = spec.bind(DEFAULTS);
        if (Double.isNaN(s.lr())) throw spec.error("lr is required, e.g. start=20,lr=0.05");
        return s;
    }

    /** The rates a run with this averaging steps through once an epoch: {@code before} (null: constant) until {@code start}, then SWALR. */
    public ScheduleSpec schedule(ScheduleSpec before) {
        return Schedules.swa(before, start, lr, annealEpochs, annealStrategy.equals("cos"));
    }
}
