package dev.ravine.optim.schedule;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * {@code torch.optim.lr_scheduler.SequentialLR}: one schedule after another, each taking over at its milestone,
 * the usual way to put a warm-up before a decay ({@code linear:start_factor=0.1,total_iters=5+cosine:t_max=95}).
 * At its milestone a schedule starts from step 0 and the base rate, as PyTorch's {@code step(0)} starts it;
 * schedules that set the rate themselves (onecycle, cyclic) or watch a metric (plateau) are not sequenced, as they
 * are not in PyTorch either.
 */
final class SequentialLR extends Schedule {
    private final List<DoubleFunction<Schedule>> parts;
    private final int[] milestones;
    private Schedule current;
    private int index;

    /** @param milestones the step at which each part after the first takes over, increasing */
    SequentialLR(double baseLr, List<DoubleFunction<Schedule>> parts, int[] milestones) {
        super(baseLr);
        if (milestones.length != parts.size() - 1) throw new IllegalArgumentException("one milestone between each two schedules");
        this.parts = parts;
        this.milestones = milestones.clone();
        for (int i = parts.size() - 1; i >= 0; i--) current = parts.get(i).apply(baseLr); // each checked now, not at its milestone
        start();
    }

    @Override
    protected double first() {
        return current.lr();
    }

    @Override
    protected double next(double previous, double metric) {
        if (index < milestones.length && lastEpoch == milestones[index]) current = parts.get(++index).apply(baseLr);
        else current.step(metric);
        return current.lr();
    }
}
