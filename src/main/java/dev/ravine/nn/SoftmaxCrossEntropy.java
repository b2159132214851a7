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
 *
 * <p>With class weights w ({@code CrossEntropyLoss(weight=w)}) row i counts w_{y_i} times, and the mean divides by
 * the rows' summed weight W = sum_i w_{y_i}, as PyTorch's does; smoothing's part weighs each class's -log p_k by
 * w_k and divides by the same W. Per row, with S = sum_k w_k: the loss is (1 - eps) w_y (-log p_y) + eps/K sum_k
 * w_k (-log p_k), dL/dz = ((1 - eps) w_y (p - onehot(y)) + eps/K (S p - w)) / W, and the curvature in z is
 * ((1 - eps) w_y + eps S / K) (diag(p) - p p^T) / W.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final double smoothing;
    /** w_k for each class, or null for none (every row counts once). */
    private final double[] weight;

    public SoftmaxCrossEntropy() {
        this(0);
    }

    /** @param labelSmoothing eps in [0, 1] */
    public SoftmaxCrossEntropy(double labelSmoothing) {
        this(labelSmoothing, null);
    }

    /** @param weight each class's weight, positive, or null for none */
    public SoftmaxCrossEntropy(double labelSmoothing, double[] weight) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        if (weight != null) for (double w : weight) if (!(w > 0 && w < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("class weights must be positive, got " + w);
        this.smoothing = labelSmoothing;
        this.weight = weight == null ? null : weight.clone();
    }

    /** eps, 0 for plain cross-entropy. */
    public double labelSmoothing() {
        return smoothing;
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    /** The rows' summed class weight, or their count without weights. */
    @Override
    public double normalizer(Tensor targets) {
        if (weight == null) return targets.rows();
        double total = 0;
        for (int i = 0, n = targets.rows(); i < n; i++) total += weight[(int) targets.get(i)];
        return total;
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        checkWidth(z);
        return ROWS.get().run(z, targets, gz, smoothing, weight, normalizer(targets));
    }

    private void checkWidth(Tensor z) {
        if (weight != null && weight.length != z.cols)
            throw new IllegalArgumentException(weight.length + " class weights for " + z.cols + " outputs");
    }

    /**
     * The rows handed to {@link Parallel}; each row's loss is kept and summed in order, whatever the thread count.
     * A row's exponentials e = exp(z - max z) are taken once, kept, and give both its log-sum-exp and p = e / sum e.
     */
    private static final class Rows implements Parallel.Range {
        private Tensor z, targets, gz;
        private double smoothing, normalizer, weightSum;
        private double[] weight;
        private double[] losses = new double[0], max = new double[0], e = new double[0];
        /** softmax(z) of the last {@link #probabilities} call, the z it came from, and a row-major scratch copy. */
        private double[] p = new double[0], pOf = new double[0], scratch = new double[0];
        private int pSize = -1;

        double run(Tensor z, Tensor targets, Tensor gz, double smoothing, double[] weight, double normalizer) {
            int n = z.rows();
            reserve(n, z.cols);
            this.z = z;
            this.targets = targets;
            this.gz = gz;
            this.smoothing = smoothing;
            this.weight = weight;
            this.normalizer = normalizer;
            weightSum = 0;
            if (weight != null) for (double w : weight) weightSum += w;
            try {
                Parallel.forRange(n, 64L * n * z.cols, this); // an exp costs about 64 multiply-adds
            } finally {
                this.z = this.targets = this.gz = null;
                this.weight = null;
            }
            double total = 0;
            for (int i = 0; i < n; i++) total += losses[i];
            return total / normalizer;
        }

        void reserve(int n, int k) {
            if (losses.length < n) {
                losses = new double[n];
                max = new double[n];
            }
            if (e.length < (long) n * k) e = new double[n * k];
        }

        /**
         * softmax(z), row by row. Every product with the Hessian at one point takes the softmax of the same outputs (a
         * Lanczos run or a full spectrum makes hundreds to thousands of them, and the exponentials were a tenth of a
         * small network's product), so the last one is kept with the z it came from and handed back while z holds
         * the same bits: the same values as computing it again.
         */
        double[] probabilities(Tensor z) {
            int n = z.rows(), k = z.cols, size = n * k;
            if (scratch.length < size) scratch = new double[size];
            z.readRange(0, size, scratch);
            if (size == pSize && java.util.Arrays.equals(scratch, 0, size, pOf, 0, size)) return p;
            if (p.length < size) {
                p = new double[size];
                pOf = new double[size];
            }
            reserve(n, k);
            exponentials(z, 0, n);
            for (int row = 0; row < size; row += k) {
                double sum = 0;
                for (int j = row; j < row + k; j++) sum += e[j];
                for (int j = row; j < row + k; j++) p[j] = e[j] / sum;
            }
            System.arraycopy(scratch, 0, pOf, 0, size);
            pSize = size;
            return p;
        }

        /** The direction rz as a row-major array (a scratch array the caller may overwrite). */
        double[] direction(Tensor rz) {
            int size = rz.size();
            if (scratch.length < size) scratch = new double[size];
            rz.readRange(0, size, scratch);
            return scratch;
        }

        /** max[i] = the largest z[i, j], and e[i k + j] = exp(z[i, j] - max[i]), for rows [from, to). */
        void exponentials(Tensor z, int from, int to) {
            int k = z.cols;
            for (int i = from; i < to; i++) {
                int row = i * k;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) m = Math.max(m, z.get(row + j));
                for (int j = 0; j < k; j++) e[row + j] = Math.exp(z.get(row + j) - m);
                max[i] = m;
            }
        }

        @Override
        public void run(int from, int to) {
            int k = z.cols;
            exponentials(z, from, to);
            for (int i = from; i < to; i++) {
                int row = i * k, label = (int) targets.get(i);
                double sum = 0;
                for (int j = 0; j < k; j++) sum += e[row + j];
                double logSumExp = max[i] + Math.log(sum);
                if (weight != null) {
                    weightedRow(i, row, k, label, logSumExp, sum);
                    continue;
                }
                losses[i] = logSumExp - z.get(row + label);
                if (smoothing != 0) {
                    double spread = 0; // sum_k -log p_k
                    for (int j = 0; j < k; j++) spread += logSumExp - z.get(row + j);
                    losses[i] = (1 - smoothing) * losses[i] + smoothing / k * spread;
                }
                if (gz != null) gradientRow(row, k, label, sum, normalizer);
            }
        }

        /** dL/dz of one row: (softmax(z) - q) / n, q the one-hot label, smoothed. */
        private void gradientRow(int row, int k, int label, double sum, double n) {
            double off = smoothing / k, on = 1 - smoothing + off;
            for (int j = 0; j < k; j++) {
                double p = e[row + j] / sum;
                gz.set(row + j, (smoothing == 0 ? (j == label ? p - 1 : p) : p - (j == label ? on : off)) / n);
            }
        }

        /** One row's weighted loss (before the division by W) and its dL/dz, as the class comment gives them. */
        private void weightedRow(int i, int row, int k, int label, double logSumExp, double sum) {
            double wy = weight[label], spread = 0; // sum_k w_k (-log p_k)
            if (smoothing != 0) for (int j = 0; j < k; j++) spread += weight[j] * (logSumExp - z.get(row + j));
            losses[i] = (1 - smoothing) * wy * (logSumExp - z.get(row + label)) + smoothing / k * spread;
            if (gz == null) return;
            for (int j = 0; j < k; j++) {
                double p = e[row + j] / sum;
                double g = (1 - smoothing) * wy * (j == label ? p - 1 : p) + smoothing / k * (weightSum * p - weight[j]);
                gz.set(row + j, g / normalizer);
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
        checkWidth(z);
        int n = z.rows(), k = z.cols;
        double normalizer = normalizer(targets), weightSum = 0;
        if (weight != null) for (double w : weight) weightSum += w;
        Rows rows = ROWS.get();
        double[] p = rows.probabilities(z), r = rows.direction(rz);
        for (int i = 0; i < n; i++) {
            int row = i * k;
            double pDotRz = 0;
            for (int j = 0; j < k; j++) pDotRz += p[row + j] * r[row + j];
            // the row's share of the curvature: 1 / n, or ((1 - eps) w_y + eps S / K) / W with class weights
            double c = weight == null ? 1 : (1 - smoothing) * weight[(int) targets.get(i)] + smoothing * weightSum / k;
            for (int j = 0; j < k; j++) r[row + j] = p[row + j] * (r[row + j] - pDotRz) * c / normalizer;
        }
        rgz.writeRange(0, n * k, r);
    }
}
