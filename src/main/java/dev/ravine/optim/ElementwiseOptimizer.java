package dev.ravine.optim;

import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the first-order methods share: the step count, state tensors allocated on the first step in the
 * parameters' dtype and kept by PyTorch's names, the momentum a schedule may cycle, and the gradient each rule
 * starts from. A method supplies one hook, {@link #update}, its rule applied entry by entry.
 */
abstract class ElementwiseOptimizer implements Optimizer {
    private final String name;
    private final double learningRate;
    private final boolean hasMomentum;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;
    /** The parameter tensors' bounds from {@link #alignWith}, or null: how a vectorized update splits over threads. */
    protected int[] tensorBounds;
    /** Steps taken, counting the one being taken inside {@link #update}: t in the papers' formulas. */
    protected long steps;

    /** @param hasMomentum whether a schedule may cycle this method's momentum (or beta1) */
    ElementwiseOptimizer(String name, double learningRate, boolean hasMomentum) {
        this.name = name;
        this.learningRate = learningRate;
        this.hasMomentum = hasMomentum;
    }

    /** One update of every entry with step count {@link #steps} already advanced. */
    protected abstract void update(Tensor params, Tensor grads, double lr);

    @Override
    public final void step(Tensor params, Tensor grads, double lr) {
        steps++;
        update(params, grads, lr);
    }

    @Override
    public void alignWith(int[] bounds) {
        tensorBounds = bounds.clone();
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
    public long steps() {
        return steps;
    }

    @Override
    public boolean cycleMomentum(double value) {
        if (hasMomentum) cycledMomentum = value;
        return hasMomentum;
    }

    /** The configured momentum (or beta1), unless a schedule is cycling it. */
    protected double momentum(double configured) {
        return Double.isNaN(cycledMomentum) ? configured : cycledMomentum;
    }

    @Override
    public Map<String, Tensor> state() {
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> saved, long steps) {
        state.clear();
        saved.forEach((key, t) -> {
            Tensor copy = Tensor.zeros(t.dtype, 1, t.size());
            t.copyTo(copy);
            state.put(key, copy);
        });
        this.steps = steps;
    }

    /** The state tensor under {@code key}, created like {@code params} and filled with {@code initial} on first use. */
    protected Tensor state(String key, Tensor params, double initial) {
        Tensor t = state.get(key); // not computeIfAbsent, whose capturing lambda would be an allocation every step
        if (t == null) {
            t = Tensor.zeros(params.dtype, 1, params.size());
            if (initial != 0) t.fill(initial);
            state.put(key, t);
        }
        return t;
    }

    /** A one-entry float32 state tensor, like the scalar tensors PyTorch 1.13 keeps in float32 whatever the model's dtype. */
    protected Tensor scalarState(String key, double initial) {
        Tensor t = state.get(key);
        if (t == null) {
            t = Tensor.zeros(dev.ravine.tensor.DType.FLOAT32, 1, 1);
            t.set(0, initial);
            state.put(key, t);
        }
        return t;
    }

    /** {@link #updateSlice} as a loop body, made once so that a step allocates nothing. */
    private final Parallel.Range slice = this::updateSlice;

    /**
     * The vectorized rule on entries [from, to), for methods that have one: {@link #update} keeps the step's tensors
     * and scalars in fields, then calls {@link #sweep}.
     */
    protected void updateSlice(int from, int to) {
        throw new UnsupportedOperationException(name + " has no vectorized rule");
    }

    /**
     * Runs {@link #updateSlice} over all {@code n} entries, split over the threads: by {@link #alignWith}'s tensors
     * when known (each thread updating the rows it reads in the products), else in equal ranges.
     */
    protected final void sweep(int n) {
        if (tensorBounds != null && tensorBounds[tensorBounds.length - 1] == n) Parallel.forSegments(tensorBounds, 8L * n, slice);
        else Parallel.forRange(n, 8L * n, slice);
    }

    /**
     * 0 for a state entry below the dtype's smallest normal number, as the vectorized kernels flush it: a decaying
     * buffer would otherwise linger among the subnormals, where x86 arithmetic is ~100x slower.
     */
    protected static double flushSubnormal(Tensor like, double v) {
        return Math.abs(v) < (like.f != null ? Float.MIN_NORMAL : Double.MIN_NORMAL) ? 0 : v;
    }

    /** The gradient entry every rule starts from: negated when maximizing, plus L2 weight decay on the parameter. */
    protected static double gradient(Tensor grads, int i, boolean maximize, double weightDecay, double p) {
        double g = maximize ? -grads.get(i) : grads.get(i);
        return weightDecay != 0 ? g + weightDecay * p : g;
    }
}
