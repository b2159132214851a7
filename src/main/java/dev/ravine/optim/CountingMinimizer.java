package dev.ravine.optim;

/** What the minimizers share: a name, a step-size multiplier, and the count of function+gradient evaluations. */
abstract class CountingMinimizer implements Minimizer {
    private final String name;
    private final double learningRate;
    /** Function+gradient evaluations so far, over all steps. */
    protected long evaluations;

    CountingMinimizer(String name, double learningRate) {
        this.name = name;
        this.learningRate = learningRate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }
}
