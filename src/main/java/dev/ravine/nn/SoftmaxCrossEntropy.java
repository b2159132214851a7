package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;

/**
 * Mean cross-entropy of softmax(z) against class indices, PyTorch's {@code CrossEntropyLoss}, fused so the
 * log-softmax is never formed: per row, loss = logsumexp(z) - z_y with the maximum subtracted first, and
 * dL/dz = (softmax(z) - onehot(y)) / n. Its curvature is (diag(p) - p p^T) / n, so R{dL/dz} = p (rz - p.rz) / n.
 *
 * <p>With label smoothing eps (Szegedy et al. 2016; {@code CrossEntropyLoss(label_smoothing=eps)}) the target is
 * q = (1 - eps) onehot(y) + eps / K: the loss is (1 - eps) (logsumexp(z) - z_y) + eps/K sum_k (logsumexp(z) - z_k),
 * as PyTorch adds its two parts, and dL/dz = (p - q) / n. The curvature in z is the same, since q does not depend
 * on z; the network's Hessian is not, since its second term weighs each output's own curvature by dL/dz.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final double smoothing;

    public SoftmaxCrossEntropy() {
        this(0);
    }

    /** @param labelSmoothing eps in [0, 1] */
    public SoftmaxCrossEntropy(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        this.smoothing = labelSmoothing;
    }

    /** eps, 0 for plain cross-entropy. */
    public double labelSmoothing() {
        return smoothing;
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        return ROWS.get().run(z, targets, gz, smoothing);
    }

    /** The rows handed to {@link Parallel}; each row's loss is kept and summed in order, whatever the thread count. */
    private static final class Rows implements Parallel.Range {
        private Tensor z, targets, gz;
        private double smoothing;
        private double[] losses = new double[0];

        double run(Tensor z, Tensor targets, Tensor gz, double smoothing) {
            int n = z.rows();
            if (losses.length < n) losses = new double[n];
            this.z = z;
            this.targets = targets;
            this.gz = gz;
            this.smoothing = smoothing;
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
                if (smoothing != 0) {
                    double spread = 0; // sum_k -log p_k
                    for (int j = 0; j < k; j++) spread += logSumExp - z.get(row + j);
                    losses[i] = (1 - smoothing) * losses[i] + smoothing / k * spread;
                }
                if (gz != null) gradientRow(row, k, label, logSumExp, n);
            }
        }

        /** dL/dz of one row: (softmax(z) - q) / n, q the one-hot label, smoothed. */
        private void gradientRow(int row, int k, int label, double logSumExp, int n) {
            double off = smoothing / k, on = 1 - smoothing + off;
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z.get(row + j) - logSumExp);
                gz.set(row + j, (smoothing == 0 ? (j == label ? p - 1 : p) : p - (j == label ? on : off)) / n);
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
