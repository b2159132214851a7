package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Tensor;

/**
 * Mean of (z - t)^2 over every entry, PyTorch's {@code MSELoss}: dL/dz = 2 (z - t) / (n k), and the loss's
 * curvature is the constant 2 / (n k).
 */
public final class MeanSquaredError implements Loss {
    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        int size = z.size();
        double total = 0;
        for (int i = 0; i < size; i++) {
            double r = z.get(i) - targets.get(i);
            total += r * r;
            if (gz != null) gz.set(i, 2 * r / size);
        }
        return total / size;
    }

    /** (z - t)^2 is, up to constants, the negative log-likelihood of t ~ N(z, 1/2). */
    @Override
    public void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng) {
        for (int i = 0, n = z.size(); i < n; i++) targets.set(i, z.get(i) + Math.sqrt(0.5) * rng.nextGaussian());
    }

    @Override
    public void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz) {
        int size = z.size();
        for (int i = 0; i < size; i++) rgz.set(i, 2 * rz.get(i) / size);
    }
}
