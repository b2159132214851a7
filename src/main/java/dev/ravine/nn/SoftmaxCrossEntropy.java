package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Tensor;

/**
 * Mean cross-entropy of softmax(z) against class indices, PyTorch's {@code CrossEntropyLoss}, fused so the
 * log-softmax is never formed: per row, loss = logsumexp(z) - z_y with the maximum subtracted first, and
 * dL/dz = (softmax(z) - onehot(y)) / n. Its curvature is (diag(p) - p p^T) / n, so R{dL/dz} = p (rz - p.rz) / n.
 */
public final class SoftmaxCrossEntropy implements Loss {
    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        int n = z.rows(), k = z.cols;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k, label = (int) targets.get(i);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, z.get(row + j));
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(z.get(row + j) - max);
            double logSumExp = max + Math.log(sum);
            total += logSumExp - z.get(row + label);
            if (gz != null) gradientRow(z, row, k, label, logSumExp, n, gz);
        }
        return total / n;
    }

    /** dL/dz of one row: (softmax(z) - onehot(label)) / n. */
    private static void gradientRow(Tensor z, int row, int k, int label, double logSumExp, int n, Tensor gz) {
        for (int j = 0; j < k; j++) {
            double p = Math.exp(z.get(row + j) - logSumExp);
            gz.set(row + j, (j == label ? p - 1 : p) / n);
        }
    }

    @Override
    public void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng) {
        int k = z.cols;
        for (int i = 0, n = z.rows(); i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, z.get(i, j));
            for (int j = 0; j < k; j++) sum += Math.exp(z.get(i, j) - max);
            double u = rng.nextDouble() * sum;
            int label = k - 1;
            for (int j = 0; j < k; j++) {
                u -= Math.exp(z.get(i, j) - max);
                if (u < 0) {
                    label = j;
                    break;
                }
            }
            targets.set(i, label);
        }
    }

    @Override
    public void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz) {
        int n = z.rows(), k = z.cols;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, z.get(row + j));
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(z.get(row + j) - max);
            double logSumExp = max + Math.log(sum), pDotRz = 0;
            for (int j = 0; j < k; j++) pDotRz += Math.exp(z.get(row + j) - logSumExp) * rz.get(row + j);
            for (int j = 0; j < k; j++)
                rgz.set(row + j, Math.exp(z.get(row + j) - logSumExp) * (rz.get(row + j) - pDotRz) / n);
        }
    }
}
