package dev.ravine.nn;

import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Squash;
import dev.ravine.tensor.Tensor;

/** y = f(x) elementwise; no parameters. */
public final class ActivationLayer extends SameWidthLayer {
    public final Activation f;
    /** tanh or the sigmoid, which have vectorized kernels; null for the others. */
    private final Squash squash;

    public ActivationLayer(Activation f, int width) {
        super(width);
        this.f = f;
        this.squash = f.squash();
    }

    @Override
    public String describe() {
        return f.torchName;
    }

    @Override
    public void forward(Tensor[] theta, Tensor x, Tensor y, boolean training) {
        if (f == Activation.RELU) { // the hot case, vectorized
            Ops.relu(x, y);
            return;
        }
        if (squash != null) {
            Ops.squash(squash, x, y);
            return;
        }
        for (int i = 0, n = x.size(); i < n; i++) y.set(i, f.apply(x.get(i)));
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        if (gx == null) return;
        if (f == Activation.RELU) {
            Ops.reluMask(x, gy, gx);
            return;
        }
        if (squash != null) {
            Ops.squashScale(squash, y, gy, gx);
            return;
        }
        for (int i = 0, n = x.size(); i < n; i++) gx.set(i, gy.get(i) * f.derivative(x.get(i), y.get(i)));
    }

    @Override
    public void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry) {
        if (f == Activation.RELU && rx != null) { // R{y} = ReLU'(x) R{x}
            Ops.reluMask(x, rx, ry);
            return;
        }
        if (squash != null && rx != null) {
            Ops.squashScale(squash, y, rx, ry);
            return;
        }
        for (int i = 0, n = x.size(); i < n; i++) ry.set(i, rx == null ? 0 : rx.get(i) * f.derivative(x.get(i), y.get(i)));
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        if (rgx == null) return;
        if (f == Activation.RELU) { // ReLU'' = 0: only the R{gy} term is left
            Ops.reluMask(x, rgy, rgx);
            return;
        }
        if (squash != null) {
            Ops.squashR(squash, y, rx, gy, rgy, rgx);
            return;
        }
        // R{f'(x) gy} = f''(x) R{x} gy + f'(x) R{gy}
        for (int i = 0, n = x.size(); i < n; i++) {
            double xi = x.get(i), yi = y.get(i);
            double curvature = rx == null ? 0 : f.second(xi, yi) * rx.get(i) * gy.get(i);
            rgx.set(i, curvature + f.derivative(xi, yi) * rgy.get(i));
        }
    }
}
