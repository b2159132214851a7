package dev.ravine.optim.schedule;

/**
 * A learning-rate schedule stepped like a {@code torch.optim.lr_scheduler}: {@link #lr()} is the rate for the
 * coming optimizer steps, {@link #step} advances it (once per epoch or per optimizer step). Schedules that PyTorch
 * computes by a recurrence on the previous rate (its "chainable" form) do so here too, so the sequences agree to
 * the last bits rather than to the closed form's rounding.
 */
public abstract class Schedule {
    protected final double baseLr;
    /** PyTorch's {@code last_epoch}: how many times the schedule has been stepped. */
    protected int lastEpoch;
    private double lr;

    protected Schedule(double baseLr) {
        this.baseLr = baseLr;
    }

    /** Sets the rate for step 0; subclasses call it last in their constructors. */
    protected final void start() {
        lr = first();
    }

    public double lr() {
        return lr;
    }

    /** Advances one step; {@code metric} is the watched figure for {@code plateau} and ignored otherwise. */
    public void step(double metric) {
        lastEpoch++;
        lr = next(lr, metric);
    }

    /** The momentum coefficient for the coming steps when the schedule cycles it (onecycle), else NaN. */
    public double momentum() {
        return Double.NaN;
    }

    /** Whether {@link #step} needs a metric. */
    public boolean watchesMetric() {
        return false;
    }

    /** The rate at last_epoch 0. */
    protected double first() {
        return baseLr;
    }

    /** The rate at {@link #lastEpoch}, given the previous one (PyTorch's {@code get_lr}). */
    protected abstract double next(double previous, double metric);

    /** The rates of steps 0 .. n-1 of a fresh schedule. */
    public double[] sequence(int n) {
        return trace(n).rates();
    }

    /**
     * Steps 0 .. n-1 of a fresh schedule: the rate of each, and the momentum (or Adam's beta1) where the schedule
     * cycles it (onecycle, cyclic), else null.
     */
    public record Trace(double[] rates, double[] momenta) {
    }

    /** The {@link Trace} of steps 0 .. n-1, stepping this schedule. */
    public Trace trace(int n) {
        double[] rates = new double[n], momenta = Double.isNaN(momentum()) ? null : new double[n];
        for (int k = 0; k < n; k++) {
            if (k > 0) step(Double.NaN);
            rates[k] = lr();
            if (momenta != null) momenta[k] = momentum();
        }
        return new Trace(rates, momenta);
    }
}
