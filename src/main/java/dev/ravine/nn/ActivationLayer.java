package dev.ravine.nn;

import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Pointwise;
import dev.ravine.tensor.Squash;
import dev.ravine.tensor.Tensor;

/**
 * y = f(x) elementwise; no parameters.
 *
 * <p>The R-operator's passes need f'(x) and f''(x), the same for every Hessian-vector product at one point (Lanczos
 * takes a hundred there). Where they cost a function call per entry (all but ReLU, tanh and the sigmoid, which have
 * kernels of their own), the first R pass after a forward pass keeps them, and the products at that point read them:
 * for GELU three exponentials an entry fewer a product. They are kept for the x and y they were taken from, and a
 * forward pass forgets them: the R passes are taken at the last forward pass's point (see
 * {@link dev.ravine.autodiff.Layer}), so a caller that changes x or y in place runs the forward pass again first.
 */
public final class ActivationLayer extends SameWidthLayer {
    /** What the activation is (ReLU's passes are masks); {@link #f} computes it, with its module's hyperparameters. */
    public final Activation kind;
    private final Pointwise f;
    /** tanh or the sigmoid, which have vectorized kernels; null for the others. */
    private final Squash squash;
    /** f'(x) and f''(x) at keptX (and keptY = f(keptX), keptRows rows), or none: see the class comment. */
    private double[] slope, curvature;
    private Tensor keptX, keptY;
    private int keptRows = -1;

    public ActivationLayer(ActivationSpec spec, int width) {
        super(width);
        this.kind = spec.kind();
        this.f = spec.function();
        this.squash = f.squash();
    }

    /** The kind at PyTorch's defaults. */
    public ActivationLayer(Activation kind, int width) {
        this(ActivationSpec.of(kind), width);
    }

    @Override
    public String describe() {
        return kind.torchName;
    }

    @Override
    public void forward(Tensor[] theta, Tensor x, Tensor y, boolean training) {
        keptX = keptY = null;
        if (kind == Activation.RELU) { // the hot case, vectorized
            Ops.relu(x, y);
            return;
        }
        Ops.map(f, x, y);
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        if (gx == null) return;
        if (kind == Activation.RELU) {
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
        if (kind == Activation.RELU && rx != null) { // R{y} = ReLU'(x) R{x}
            Ops.reluMask(x, rx, ry);
            return;
        }
        if (squash != null && rx != null) {
            Ops.squashScale(squash, y, rx, ry);
            return;
        }
        if (rx == null) ry.fill(0);
        else Ops.scaleKept(slopesAt(x, y), rx, ry);
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        if (rgx == null) return;
        if (kind == Activation.RELU) { // ReLU'' = 0: only the R{gy} term is left
            Ops.reluMask(x, rgy, rgx);
            return;
        }
        if (squash != null) {
            Ops.squashR(squash, y, rx, gy, rgy, rgx);
            return;
        }
        Ops.rKept(slopesAt(x, y), curvature, rx, gy, rgy, rgx);
    }

    /** f'(x), with f''(x) in {@link #curvature}: kept since the last forward pass, or taken now. */
    private double[] slopesAt(Tensor x, Tensor y) {
        if (keptX == x && keptY == y && keptRows == x.rows()) return slope;
        if (slope == null || slope.length < x.size()) {
            slope = new double[x.size()];
            curvature = new double[x.size()];
        }
        Ops.keepSlopes(f, x, y, slope, curvature);
        keptX = x;
        keptY = y;
        keptRows = x.rows();
        return slope;
    }
}
