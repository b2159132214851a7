package dev.ravine.optim.schedule;

/**
 * The rates of a run with stochastic weight averaging (Izmailov et al. 2018), as PyTorch's SWA recipe steps them
 * once an epoch: the run's own schedule (or its constant rate) until epoch {@code start} has ended, then
 * {@code torch.optim.swa_utils.SWALR}, which anneals from wherever the rate stands to swa_lr over anneal_epochs
 * (by a cosine or linearly) and holds it. SWALR keeps no start of its own: each step recovers the rate it annealed
 * from out of the current one, as PyTorch computes it. PyTorch's SWALR, built before training as its recipe builds
 * it, sets swa_lr at once when anneal_epochs is 0; here that switch comes when averaging starts.
 */
final class SwaLR extends Schedule {
    private final Schedule before;
    private final int start, annealEpochs;
    private final double swaLr;
    private final boolean cosine;
    /** SWALR's steps so far: its {@code _step_count - 1}. */
    private int swaSteps;

    SwaLR(double baseLr, Schedule before, int start, double swaLr, int annealEpochs, boolean cosine) {
        super(baseLr);
        this.before = before;
        this.start = start;
        this.swaLr = swaLr;
        this.annealEpochs = annealEpochs;
        this.cosine = cosine;
        start();
    }

    @Override
    protected double first() {
        return before == null ? baseLr : before.lr();
    }

    @Override
    protected double next(double previous, double metric) {
        if (lastEpoch <= start) { // the epochs before averaging starts
            if (before == null) return previous;
            before.step(metric);
            return before.lr();
        }
        int step = ++swaSteps;
        if (annealEpochs == 0) step = Math.max(1, step);
        double prevAlpha = anneal(Math.max(0, Math.min(1, (step - 1) / (double) Math.max(1, annealEpochs))));
        double from = prevAlpha == 1 ? swaLr : (previous - prevAlpha * swaLr) / (1 - prevAlpha);
        double alpha = anneal(Math.max(0, Math.min(1, step / (double) Math.max(1, annealEpochs))));
        return swaLr * alpha + from * (1 - alpha);
    }

    private double anneal(double t) {
        return cosine ? (1 - Math.cos(Math.PI * t)) / 2 : t;
    }

    @Override
    public double momentum() {
        return before == null ? Double.NaN : before.momentum(); // a cycled momentum stays where the schedule left it
    }

    @Override
    public boolean watchesMetric() {
        return before != null && before.watchesMetric();
    }
}
