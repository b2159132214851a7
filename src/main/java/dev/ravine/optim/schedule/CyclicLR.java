package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/**
 * {@code torch.optim.lr_scheduler.CyclicLR} (Smith 2017, "Cyclical learning rates"): the rate climbs linearly from
 * base_lr to max_lr over step_size_up steps and back down over step_size_down, again and again. Smith sets the
 * bounds from the learning-rate range test ({@code ravine lr-find}). {@code triangular2} halves the height every
 * cycle, {@code exp_range} scales it by gamma^step. It sets the rate itself: the optimizer's lr is ignored. With
 * {@code cycle_momentum} (PyTorch's default) the momentum, or beta1 for the Adam family as recent PyTorch cycles
 * it, moves the other way, from max_momentum down to base_momentum while the rate climbs.
 */
final class CyclicLR extends CyclingSchedule {
    record Config(@Required double baseLr, @Required double maxLr, int stepSizeUp, int stepSizeDown, String mode, double gamma,
                  boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        /** step_size_down 0 is PyTorch's None: as long as step_size_up. */
        static final Config DEFAULTS = new Config(Double.NaN, Double.NaN, 2000, 0, "triangular", 1.0, true, 0.8, 0.9);

        Config {
            if (!mode.equals("triangular") && !mode.equals("triangular2") && !mode.equals("exp_range"))
                throw new IllegalArgumentException("mode is invalid: expected triangular, triangular2 or exp_range, got " + mode);
            if (stepSizeUp < 1) throw new IllegalArgumentException("step_size_up must be a positive integer, got " + stepSizeUp);
            if (stepSizeDown < 0) throw new IllegalArgumentException("step_size_down must be a positive integer (0: as step_size_up), got " + stepSizeDown);
        }
    }

    private final Config c;
    private final double totalSize, stepRatio;

    CyclicLR(Config c) {
        super(c.baseLr(), c.cycleMomentum());
        if (Double.isNaN(c.baseLr()) || Double.isNaN(c.maxLr()))
            throw new IllegalArgumentException("base_lr and max_lr are required, e.g. cyclic:base_lr=0.001,max_lr=0.1,step_size_up=20");
        this.c = c;
        double up = c.stepSizeUp(), down = c.stepSizeDown() == 0 ? up : c.stepSizeDown();
        totalSize = up + down;
        stepRatio = up / totalSize;
        start();
    }

    /** In PyTorch's order of operations. */
    @Override
    protected double at(int step) {
        double cycle = Math.floor(1 + step / totalSize);
        double x = 1. + step / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = switch (c.mode()) {
            case "triangular" -> 1.;
            case "triangular2" -> 1 / Math.pow(2., cycle - 1);
            default -> Math.pow(c.gamma(), step); // exp_range scales by the step, not the cycle
        };
        momentum = c.maxMomentum() - (c.maxMomentum() - c.baseMomentum()) * scaleFactor * scale;
        return c.baseLr() + (c.maxLr() - c.baseLr()) * scaleFactor * scale;
    }
}
