package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/** {@code torch.optim.lr_scheduler.MultiStepLR}: multiply by gamma at each milestone (a repeated one counts again). */
final class MultiStepLR extends Schedule {
    record Config(@Required int[] milestones, double gamma) {
        static final Config DEFAULTS = new Config(new int[0], 0.1);
    }

    private final Config c;

    MultiStepLR(double baseLr, Config c) {
        super(baseLr);
        if (c.milestones().length == 0) throw new IllegalArgumentException("milestones are required, e.g. milestones=5|12|30");
        for (int i = 1; i < c.milestones().length; i++)
            if (c.milestones()[i] < c.milestones()[i - 1]) throw new IllegalArgumentException("Milestones should be a list of increasing integers");
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        int hits = 0;
        for (int m : c.milestones()) if (m == lastEpoch) hits++;
        return hits == 0 ? previous : previous * Math.pow(c.gamma(), hits);
    }
}
