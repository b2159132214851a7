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
        Ops.map(f, x, y);
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
        Ops.mapScale(f, x, y, gy, gx);
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
        if (rx == null) ry.fill(0);
        else Ops.mapScale(f, x, y, rx, ry);
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
        Ops.mapR(f, x, y, rx, gy, rgy, rgx);
    }
}
