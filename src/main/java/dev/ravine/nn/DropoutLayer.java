package dev.ravine.nn;

import dev.ravine.tensor.DropoutStream;
import dev.ravine.tensor.Tensor;

/**
 * {@code nn.Dropout} at one hidden layer: y = m * x with a fresh 0/1 mask m (scaled, for inverted dropout) in
 * training, and y = c x in inference (c = 1, or 1 - p for the scale-weights style until it is folded into the next
 * layer). The mask of the last training pass stays for the backward and R-operator passes, which are then exact
 * for that mask: dropout is linear in x once the mask is drawn. A layer built {@code off} (analysing a saved model)
 * is the identity in every mode.
 */
public final class DropoutLayer extends SameWidthLayer {
    private final Dropout config;
    private final boolean on;
    private final int index;
    private DropoutStream rng;
    private Tensor mask;
    /** Whether the last forward pass drew the mask (else it scaled by {@link #inference}). */
    private boolean masked;
    /** The next training pass reuses the last mask instead of drawing one: for checks with a fixed mask. */
    private boolean frozen;
    private double inference;

    /** A layer that drops units in training when {@code on}; the identity otherwise. */
    public DropoutLayer(Dropout config, int width, int index, boolean on) {
        super(width);
        this.config = config;
        this.on = on && config.p() > 0;
        this.index = index;
        startEpoch(0);
        this.inference = this.on && config.style() == Dropout.Style.SCALE_WEIGHTS ? 1 - config.p() : 1;
    }

    /** Each epoch's masks come from (seed, layer index, epoch) alone. */
    @Override
    public void startEpoch(int epoch) {
        rng = new DropoutStream((config.seed() * 0x9E3779B97F4A7C15L + index) * 0xBF58476D1CE4E5B9L + epoch); // SplittableRandom's draws
    }

    public Dropout config() {
        return config;
    }

    /** After the following layer's weights took the scale-weights factor: inference is the identity from now on. */
    void folded() {
        inference = 1;
    }

    /** What inference multiplies by now: 1, or 1 - p before a scale-weights fold. */
    double inferenceScale() {
        return inference;
    }

    /** Keeps the current mask for the following training passes (true), or draws afresh again (false). */
    public void freeze(boolean keep) {
        frozen = keep;
    }

    @Override
    public String describe() {
        return "Dropout(p=" + config.p() + ")";
    }

    @Override
    public void forward(Tensor[] theta, Tensor x, Tensor y, boolean training) {
        int n = x.size();
        masked = training && on;
        if (!masked) {
            for (int i = 0; i < n; i++) y.set(i, inference * x.get(i));
            return;
        }
        if (mask == null || mask.size() < n) mask = Tensor.zeros(x.dtype, 1, Math.max(n, mask == null ? 0 : mask.size()));
        if (!frozen) rng.fill(mask, n, config.p(), config.style() == Dropout.Style.INVERTED ? 1 / (1 - config.p()) : 1);
        multiply(mask, x, y, n);
    }

    /** out = J in: the mask (or the inference scale) of the last forward pass applied to {@code in}. */
    private void apply(Tensor in, Tensor out) {
        int n = in.size();
        if (masked) multiply(mask, in, out, n);
        else for (int i = 0; i < n; i++) out.set(i, inference * in.get(i));
    }

    /** out[i] = m[i] in[i] for the first n entries: loops over the arrays, which the JIT vectorizes. */
    private static void multiply(Tensor m, Tensor in, Tensor out, int n) {
        if (m.f != null) {
            float[] a = m.f, b = in.f, c = out.f;
            for (int i = 0, ao = m.offset, bo = in.offset, co = out.offset; i < n; i++) c[co + i] = a[ao + i] * b[bo + i];
        } else {
            double[] a = m.d, b = in.d, c = out.d;
            for (int i = 0, ao = m.offset, bo = in.offset, co = out.offset; i < n; i++) c[co + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        if (gx != null) apply(gy, gx);
    }

    @Override
    public void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry) {
        if (rx == null) ry.fill(0);
        else apply(rx, ry);
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        if (rgx != null) apply(rgy, rgx); // linear in x: no curvature of its own
    }
}
