package dev.ravine.optim.schedule;

/**
 * A schedule that sets the rate itself, from the step count alone rather than from the optimizer's rate or the
 * previous one, and may cycle the momentum against it (onecycle, cyclic); PyTorch's get_lr computes both at once.
 */
abstract class CyclingSchedule extends Schedule {
    private final boolean cyclesMomentum;
    /** The momentum (or beta1) for the step whose rate {@link #at} computed last. */
    protected double momentum;

    CyclingSchedule(double firstLr, boolean cyclesMomentum) {
        super(firstLr);
        this.cyclesMomentum = cyclesMomentum;
    }

    /** The rate at {@code step}, setting {@link #momentum} for it on the way. */
    protected abstract double at(int step);

    @Override
    protected double first() {
        return at(0);
    }

    @Override
    protected double next(double previous, double metric) {
        return at(lastEpoch);
    }

    @Override
    public double momentum() {
        return cyclesMomentum ? momentum : Double.NaN;
    }
}
