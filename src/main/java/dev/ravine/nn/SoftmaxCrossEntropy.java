package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Parallel;
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
        return ROWS.get().run(z, targets, gz);
    }

    /** The rows handed to {@link Parallel}; each row's loss is kept and summed in order, whatever the thread count. */
    private static final class Rows implements Parallel.Range {
        private Tensor z, targets, gz;
        private double[] losses = new double[0];

        double run(Tensor z, Tensor targets, Tensor gz) {
            int n = z.rows();
            if (losses.length < n) losses = new double[n];
            this.z = z;
            this.targets = targets;
            this.gz = gz;
            try {
                Parallel.forRange(n, 128L * n * z.cols, this); // an exp costs about 64 multiply-adds, and there are two
            } finally {
                this.z = this.targets = this.gz = null;
            }
            double total = 0;
            for (int i = 0; i < n; i++) total += losses[i];
            return total / n;
        }

        @Override
        public void run(int from, int to) {
            int n = z.rows(), k = z.cols;
            for (int i = from; i < to; i++) {
                int row = i * k, label = (int) targets.get(i);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) max = Math.max(max, z.get(row + j));
                double sum = 0;
                for (int j = 0; j < k; j++) sum += Math.exp(z.get(row + j) - max);
                double logSumExp = max + Math.log(sum);
                losses[i] = logSumExp - z.get(row + label);
                if (gz != null) gradientRow(row, k, label, logSumExp, n);
            }
        }

        /** dL/dz of one row: (softmax(z) - onehot(label)) / n. */
        private void gradientRow(int row, int k, int label, double logSumExp, int n) {
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z.get(row + j) - logSumExp);
                gz.set(row + j, (j == label ? p - 1 : p) / n);
            }
        }
    }

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

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
