package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015) over each feature of a minibatch, exactly as
 * {@code torch.nn.BatchNorm1d(width)} computes it:
 * <pre>
 *   xhat = (x - mu) / sqrt(var + eps),   y = gamma xhat + beta
 * </pre>
 * In a training pass mu and var are the minibatch's own mean and biased variance, and the running estimates move
 * towards them: {@code running_mean = (1 - m) running_mean + m mu}, {@code running_var = (1 - m) running_var +
 * m var n / (n - 1)} (the unbiased variance), {@code num_batches_tracked += 1}, with eps 1e-5 and m 0.1. An
 * inference pass normalizes with the running estimates, so the layer is affine in x; or, for the training-mode
 * landscape ({@code hessian --bn-mode train}), with the rows' own statistics while leaving the running ones alone.
 *
 * <p>With batch statistics every row's output depends on every other row through mu and var, so the backward and
 * R-operator passes carry the two terms that couple the rows: dx = gamma / sigma (g - mean(g) - xhat mean(g xhat))
 * per feature, and their directional derivatives below (R{1/sigma} = -mean(xhat R{x}) / sigma^2 and
 * R{xhat} = (R{x} - mean(R{x}) - xhat mean(xhat R{x})) / sigma).
 */
public final class BatchNormLayer implements Layer {
    public static final double EPS = 1e-5, MOMENTUM = 0.1;

    private final int width;
    private Tensor runningMean, runningVar, tracked;
    /** The mean and 1 / sqrt(var + eps) the last forward pass normalized with, per feature. */
    private final double[] mean, invStd;
    /** Per feature: mean(R{x}) and mean(xhat R{x}) of the last R-forward pass, which its R-backward pass reuses. */
    private final double[] rMean, rCovariance;
    /** Per-feature sums of a backward pass, sum g and sum g xhat, and of an R-backward pass, their R{.}. */
    private final double[] sumG, sumGx, rSumG, rSumGx;
    /** Whether the last forward pass used the rows' own statistics (else the running ones). */
    private boolean batchStatistics;
    /** Inference passes normalize with the rows' own statistics too (the training-mode landscape). */
    private boolean inferenceWithBatchStatistics;

    public BatchNormLayer(int width) {
        this.width = width;
        mean = new double[width];
        invStd = new double[width];
        rMean = new double[width];
        rCovariance = new double[width];
        sumG = new double[width];
        sumGx = new double[width];
        rSumG = new double[width];
        rSumGx = new double[width];
    }

    /**
     * Which statistics inference passes normalize with: the running estimates (false, evaluation mode, what
     * {@code model.eval()} computes) or each pass's own rows (true, the function training minimizes), without
     * updating the running estimates. Training passes always use the rows' own statistics.
     */
    public void inferenceWithBatchStatistics(boolean batch) {
        inferenceWithBatchStatistics = batch;
    }

    @Override
    public String describe() {
        return "BatchNorm1d(" + width + ")";
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", 1, width, true), new Parameter("bias", 1, width, true));
    }

    @Override
    public List<Buffer> buffers() {
        return List.of(new Buffer("running_mean", new long[] {width}, false), new Buffer("running_var", new long[] {width}, false),
                new Buffer("num_batches_tracked", new long[0], true));
    }

    @Override
    public void bindBuffers(Tensor[] views) {
        runningMean = views[0];
        runningVar = views[1];
        tracked = views[2];
        runningVar.fill(1); // PyTorch's reset_running_stats: mean 0, variance 1, no batches
    }

    @Override
    public void forward(Tensor[] theta, Tensor x, Tensor y, boolean training) {
        int n = x.rows();
        batchStatistics = training || inferenceWithBatchStatistics;
        if (batchStatistics) {
            if (n < 2) throw new IllegalArgumentException("batch norm with batch statistics needs more than one row, got " + n);
            java.util.Arrays.fill(mean, 0);
            double[] var = sumG; // scratch: the biased variance
            java.util.Arrays.fill(var, 0);
            for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) mean[j] += x.get(i, j);
            for (int j = 0; j < width; j++) mean[j] /= n;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < width; j++) {
                    double c = x.get(i, j) - mean[j];
                    var[j] += c * c;
                }
            for (int j = 0; j < width; j++) {
                var[j] /= n;
                invStd[j] = 1 / Math.sqrt(var[j] + EPS);
            }
            if (training) {
                for (int j = 0; j < width; j++) {
                    runningMean.set(j, (1 - MOMENTUM) * runningMean.get(j) + MOMENTUM * mean[j]);
                    runningVar.set(j, (1 - MOMENTUM) * runningVar.get(j) + MOMENTUM * var[j] * n / (n - 1));
                }
                tracked.set(0, tracked.get(0) + 1);
            }
        } else {
            for (int j = 0; j < width; j++) {
                mean[j] = runningMean.get(j);
                invStd[j] = 1 / Math.sqrt(runningVar.get(j) + EPS);
            }
        }
        Tensor gamma = theta[0], beta = theta[1];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++) y.set(i, j, gamma.get(j) * ((x.get(i, j) - mean[j]) * invStd[j]) + beta.get(j));
    }

    private double xhat(Tensor x, int i, int j) {
        return (x.get(i, j) - mean[j]) * invStd[j];
    }

    /** sumG = sum over rows of g, sumGx = sum of g xhat, per feature. */
    private void sums(Tensor x, Tensor g) {
        java.util.Arrays.fill(sumG, 0);
        java.util.Arrays.fill(sumGx, 0);
        for (int i = 0, n = x.rows(); i < n; i++)
            for (int j = 0; j < width; j++) {
                double gij = g.get(i, j);
                sumG[j] += gij;
                sumGx[j] += gij * xhat(x, i, j);
            }
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        sums(x, gy);
        for (int j = 0; j < width; j++) {
            gTheta[0].set(j, sumGx[j]);
            gTheta[1].set(j, sumG[j]);
        }
        if (gx == null) return;
        Tensor gamma = theta[0];
        int n = x.rows();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++) {
                double g = gy.get(i, j);
                if (batchStatistics) g -= (sumG[j] + xhat(x, i, j) * sumGx[j]) / n;
                gx.set(i, j, gamma.get(j) * invStd[j] * g);
            }
    }

    /** R{xhat} at (i, j), from the last R-forward pass's per-feature means. */
    private double rXhat(Tensor x, Tensor rx, int i, int j) {
        if (rx == null) return 0;
        double r = rx.get(i, j);
        if (batchStatistics) r -= rMean[j] + xhat(x, i, j) * rCovariance[j];
        return invStd[j] * r;
    }

    @Override
    public void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry) {
        int n = x.rows();
        java.util.Arrays.fill(rMean, 0);
        java.util.Arrays.fill(rCovariance, 0);
        if (batchStatistics && rx != null) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < width; j++) {
                    double r = rx.get(i, j);
                    rMean[j] += r;
                    rCovariance[j] += xhat(x, i, j) * r;
                }
            for (int j = 0; j < width; j++) {
                rMean[j] /= n;
                rCovariance[j] /= n;
            }
        }
        Tensor gamma = theta[0], vGamma = v[0], vBeta = v[1];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++)
                ry.set(i, j, vGamma.get(j) * xhat(x, i, j) + gamma.get(j) * rXhat(x, rx, i, j) + vBeta.get(j));
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        int n = x.rows();
        // hv: R{sum g xhat} = sum (R{g} xhat + g R{xhat}), R{sum g} = sum R{g}
        java.util.Arrays.fill(rSumG, 0);
        java.util.Arrays.fill(rSumGx, 0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++) {
                double rg = rgy.get(i, j);
                rSumG[j] += rg;
                rSumGx[j] += rg * xhat(x, i, j) + gy.get(i, j) * rXhat(x, rx, i, j);
            }
        for (int j = 0; j < width; j++) {
            hv[0].set(j, rSumGx[j]);
            hv[1].set(j, rSumG[j]);
        }
        if (rgx == null) return;
        Tensor gamma = theta[0], vGamma = v[0];
        if (!batchStatistics) { // affine in x: R{gx} = (R{gamma} g + gamma R{g}) / sigma
            for (int i = 0; i < n; i++)
                for (int j = 0; j < width; j++)
                    rgx.set(i, j, invStd[j] * (vGamma.get(j) * gy.get(i, j) + gamma.get(j) * rgy.get(i, j)));
            return;
        }
        // gx = a c with a = gamma / sigma and c = g - (sum g + xhat sum g xhat) / n
        sums(x, gy);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++) {
                double s = invStd[j], xh = xhat(x, i, j), rxh = rXhat(x, rx, i, j);
                double a = gamma.get(j) * s;
                double ra = vGamma.get(j) * s - gamma.get(j) * s * s * rCovariance[j];
                double c = gy.get(i, j) - (sumG[j] + xh * sumGx[j]) / n;
                double rc = rgy.get(i, j) - (rSumG[j] + rxh * sumGx[j] + xh * rSumGx[j]) / n;
                rgx.set(i, j, ra * c + a * rc);
            }
    }
}
