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

    /** The evaluation count, then the method's own state ({@link #save}). */
    @Override
    public final java.util.Map<String, double[]> state() {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        out.put("evaluations", new double[] {evaluations});
        save(out);
        return out;
    }

    @Override
    public final void restore(java.util.Map<String, double[]> state) {
        evaluations = (long) one(state, "evaluations");
        load(state);
    }

    /** Adds what the method carries between steps; nothing for a method without memory. */
    protected void save(java.util.Map<String, double[]> out) {
    }

    /** Takes back what {@link #save} added. */
    protected void load(java.util.Map<String, double[]> state) {
    }

    /** The one value saved under {@code key}. */
    protected static double one(java.util.Map<String, double[]> state, String key) {
        double[] v = state.get(key);
        if (v == null || v.length != 1) throw new IllegalArgumentException("checkpoint lacks '" + key + "'");
        return v[0];
    }
}
