package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/** {@code torch.optim.lr_scheduler.StepLR}: multiply by gamma every step_size steps. */
final class StepLR extends Schedule {
    record Config(@Required int stepSize, double gamma) {
        static final Config DEFAULTS = new Config(0, 0.1);
    }

    private final Config c;

    StepLR(double baseLr, Config c) {
        super(baseLr);
        if (c.stepSize() < 1) throw new IllegalArgumentException("step_size must be a positive integer (it has no default, as in PyTorch), got " + c.stepSize());
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        return lastEpoch % c.stepSize() != 0 ? previous : previous * c.gamma();
    }
}
