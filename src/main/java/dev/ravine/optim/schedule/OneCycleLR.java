package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR} (Smith &amp; Topal 2017): warm up from max_lr / div_factor to max_lr over
 * the first pct_start of total_steps, then anneal to max_lr / (div_factor final_div_factor); with three_phase, come
 * back down to the initial rate before the final anneal. It sets the rate itself: the optimizer's lr is ignored.
 * With {@code cycle_momentum} (PyTorch's default) the momentum (beta1 for the Adam family) moves the other way,
 * from max_momentum down to base_momentum while the rate rises, and back.
 */
final class OneCycleLR extends CyclingSchedule {
    record Config(@Required double maxLr, @Required int totalSteps, double pctStart, String annealStrategy, boolean cycleMomentum,
                  double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        static final Config DEFAULTS = new Config(Double.NaN, 0, 0.3, "cos", true, 0.85, 0.95, 25, 1e4, false);

        Config {
            if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + pctStart);
            if (!annealStrategy.equals("cos") && !annealStrategy.equals("linear"))
                throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + annealStrategy);
        }
    }

    private final Config c;
    private final double[] ends, starts, targets, momentumStarts, momentumTargets;

    OneCycleLR(Config c) {
        super(c.maxLr() / c.divFactor(), c.cycleMomentum());
        if (Double.isNaN(c.maxLr())) throw new IllegalArgumentException("max_lr is required, e.g. onecycle:max_lr=0.5,total_steps=40");
        if (c.totalSteps() <= 0) throw new IllegalArgumentException("Expected positive integer total_steps, but got " + c.totalSteps());
        this.c = c;
        double initial = c.maxLr() / c.divFactor(), min = initial / c.finalDivFactor(), warm = c.pctStart() * c.totalSteps();
        if (c.threePhase()) {
            ends = new double[] {warm - 1, 2 * warm - 2, c.totalSteps() - 1};
            starts = new double[] {initial, c.maxLr(), initial};
            targets = new double[] {c.maxLr(), initial, min};
            momentumStarts = new double[] {c.maxMomentum(), c.baseMomentum(), c.maxMomentum()};
            momentumTargets = new double[] {c.baseMomentum(), c.maxMomentum(), c.maxMomentum()};
        } else {
            ends = new double[] {warm - 1, c.totalSteps() - 1};
            starts = new double[] {initial, c.maxLr()};
            targets = new double[] {c.maxLr(), min};
            momentumStarts = new double[] {c.maxMomentum(), c.baseMomentum()};
            momentumTargets = new double[] {c.baseMomentum(), c.maxMomentum()};
        }
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        if (lastEpoch > c.totalSteps())
            throw new IllegalArgumentException("Tried to step " + (lastEpoch + 1) + " times. The specified number of total steps is " + c.totalSteps());
        return super.next(previous, metric);
    }

    @Override
    protected double at(int step) {
        double startStep = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                double pct = (step - startStep) / (ends[i] - startStep);
                momentum = anneal(momentumStarts[i], momentumTargets[i], pct);
                return anneal(starts[i], targets[i], pct);
            }
            startStep = ends[i];
        }
        throw new IllegalStateException("no phase");
    }

    private double anneal(double start, double end, double pct) {
        return c.annealStrategy().equals("cos") ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }
}
