package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Tensor;

/**
 * Squared error against one-hot class targets, as {@code torch.nn.MSELoss()(s(z), one_hot(t))} computes it: the
 * mean over every row and class of (s(z) - y)^2, with s the identity ({@code mse}, the setting of the
 * edge-of-stability papers) or the logistic sigmoid ({@code sigmoid_mse}, the lectures' "logistic units with
 * least squares", whose saturated units give the plateaus cross-entropy avoids). Elementwise in z, so its
 * curvature is diagonal: d^2 L / dz^2 = 2 (s'^2 + (s - y) s'') / (n k), which for the sigmoid can be negative.
 */
public final class OneHotSquaredError implements Loss {
    private final boolean sigmoid;

    public OneHotSquaredError(boolean sigmoid) {
        this.sigmoid = sigmoid;
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    private static double logistic(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        int rows = z.rows(), k = z.cols, size = rows * k;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int label = (int) targets.get(i);
            for (int j = 0; j < k; j++) {
                double zi = z.get(i * k + j), s = sigmoid ? logistic(zi) : zi, r = s - (j == label ? 1 : 0);
                total += r * r;
                if (gz != null) gz.set(i * k + j, 2 * r * (sigmoid ? s * (1 - s) : 1) / size);
            }
        }
        return total / size;
    }

    @Override
    public void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz) {
        int rows = z.rows(), k = z.cols, size = rows * k;
        for (int i = 0; i < rows; i++) {
            int label = (int) targets.get(i);
            for (int j = 0; j < k; j++) {
                double curvature = 2.0 / size;
                if (sigmoid) {
                    double s = logistic(z.get(i * k + j)), d1 = s * (1 - s), d2 = d1 * (1 - 2 * s);
                    curvature *= d1 * d1 + (s - (j == label ? 1 : 0)) * d2;
                }
                rgz.set(i * k + j, curvature * rz.get(i * k + j));
            }
        }
    }

    /** No likelihood stands behind a squared error on one-hot targets, so there is no model distribution to sample. */
    @Override
    public void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng) {
        throw new UnsupportedOperationException("squared error on one-hot targets has no predictive distribution to sample");
    }
}
