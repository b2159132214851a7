package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * y = x W^T + b with W [out, in] and b [out], PyTorch's {@code nn.Linear}. Gradients: dW = gy^T x,
 * db = column sums of gy, dx = gy W. Their R-operator twins add the terms in the direction (V_W, V_b).
 */
public final class Linear implements Layer {
    private final int in, out;

    public Linear(int in, int out) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear needs positive sizes, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
    }

    @Override
    public String describe() {
        return "Linear(" + in + ", " + out + ")";
    }

    @Override
    public int inputWidth() {
        return in;
    }

    @Override
    public int outputWidth() {
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", out, in, false), new Parameter("bias", 1, out, true));
    }

    @Override
    public void forward(Tensor[] theta, Tensor x, Tensor y, boolean training) {
        Ops.linear(x, theta[0], theta[1], y, null);
    }

    @Override
    public boolean fuses(Layer next) {
        return next instanceof ActivationLayer a && a.kind == Activation.RELU;
    }

    @Override
    public void forwardThrough(Tensor[] theta, Tensor x, Tensor y, Tensor z, boolean training) {
        Ops.linear(x, theta[0], theta[1], y, z);
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        Ops.matmulTN(gy, x, gTheta[0], false);
        Ops.sumRows(gy, gTheta[1], false);
        if (gx != null) Ops.matmulNN(gy, theta[0], gx, false);
    }

    @Override
    public void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry) {
        // R{y} = R{x} W^T + x V_W^T + V_b
        Ops.matmulNT(x, v[0], ry, false);
        if (rx != null) Ops.matmulNT(rx, theta[0], ry, true);
        Ops.addRowVector(ry, v[1]);
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        // R{dW} = R{gy}^T x + gy^T R{x};  R{db} = column sums of R{gy};  R{dx} = R{gy} W + gy V_W
        Ops.matmulTN(rgy, x, hv[0], false);
        if (rx != null) Ops.matmulTN(gy, rx, hv[0], true);
        Ops.sumRows(rgy, hv[1], false);
        if (rgx != null) {
            Ops.matmulNN(rgy, theta[0], rgx, false);
            Ops.matmulNN(gy, v[0], rgx, true);
        }
    }

    /** Row i's gradient is gy_i^T x_i for the weight and gy_i for the bias: |gy_i|^2 (|x_i|^2 + 1). */
    @Override
    public boolean addRowGradientNorms(Tensor[] theta, Tensor x, Tensor y, Tensor gy, double[] into) {
        for (int i = 0, n = x.rows(); i < n; i++) {
            double xx = 1, gg = 0;
            for (int j = 0; j < x.cols; j++) xx += x.get(i, j) * x.get(i, j);
            for (int j = 0; j < gy.cols; j++) gg += gy.get(i, j) * gy.get(i, j);
            into[i] += gg * xx;
        }
        return true;
    }
}
