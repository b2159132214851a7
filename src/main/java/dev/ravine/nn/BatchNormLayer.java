package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import dev.ravine.tensor.BatchNormKernels;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
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
    /** One row at a time, in double: x, g, R{x}, R{g}, the result; and gamma, beta or their directions. */
    private final double[] xr, gr, rr, rgr, out, gamma, beta;
    /** Per feature, for the vector kernels' input gradient: mean(g) and mean(g xhat) / sigma. */
    private final double[] meanG, gain;
    /** Whether the last forward pass used the rows' own statistics (else the running ones). */
    private boolean batchStatistics;
    /** Inference passes normalize with the rows' own statistics too (the training-mode landscape). */
    private boolean inferenceWithBatchStatistics;
    /** Whether training passes average the running estimates evenly (momentum=None) rather than by momentum 0.1. */
    private boolean cumulative;

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
        xr = new double[width];
        gr = new double[width];
        rr = new double[width];
        rgr = new double[width];
        out = new double[width];
        gamma = new double[width];
        beta = new double[width];
        meanG = new double[width];
        gain = new double[width];
    }

    /** Whether {@code t}'s passes go through {@link BatchNormKernels}: float32 rows, vector kernels of four double lanes or more. */
    private static boolean vectorized(Tensor t) {
        return t.f != null && Kernels.vector() && BatchNormKernels.fits();
    }

    /**
     * Which statistics inference passes normalize with: the running estimates (false, evaluation mode, what
     * {@code model.eval()} computes) or each pass's own rows (true, the function training minimizes), without
     * updating the running estimates. Training passes always use the rows' own statistics.
     */
    public void inferenceWithBatchStatistics(boolean batch) {
        inferenceWithBatchStatistics = batch;
    }

    /**
     * With {@code true}, restarts the running estimates (mean 0, variance 1, no batches) and from then on makes them
     * the plain average over the training passes that follow, as PyTorch's {@code momentum=None} does (each pass
     * weighs 1 / num_batches_tracked): how {@code torch.optim.swa_utils.update_bn} recomputes them for averaged
     * weights. {@code false} goes back to momentum 0.1.
     */
    public void cumulativeAverage(boolean on) {
        cumulative = on;
        if (!on) return;
        runningMean.fill(0);
        runningVar.fill(1);
        tracked.set(0, 0);
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
            double[] var = sumG; // scratch: the biased variance, by two passes as PyTorch computes it
            Arrays.fill(mean, 0);
            Arrays.fill(var, 0);
            if (vectorized(x)) BatchNormKernels.columnSums(x.f, x.offset, n, width, mean);
            else
                for (int i = 0; i < n; i++) {
                    x.readRow(i, xr);
                    for (int j = 0; j < width; j++) mean[j] += xr[j];
                }
            for (int j = 0; j < width; j++) mean[j] /= n;
            if (vectorized(x)) BatchNormKernels.centeredSquares(x.f, x.offset, n, width, mean, var);
            else
                for (int i = 0; i < n; i++) {
                    x.readRow(i, xr);
                    for (int j = 0; j < width; j++) {
                        double c = xr[j] - mean[j];
                        var[j] += c * c;
                    }
                }
            for (int j = 0; j < width; j++) {
                var[j] /= n;
                invStd[j] = 1 / Math.sqrt(var[j] + EPS);
            }
            if (training) {
                tracked.set(0, tracked.get(0) + 1);
                double m = cumulative ? 1.0 / tracked.get(0) : MOMENTUM;
                for (int j = 0; j < width; j++) {
                    runningMean.set(j, (1 - m) * runningMean.get(j) + m * mean[j]);
                    runningVar.set(j, (1 - m) * runningVar.get(j) + m * var[j] * n / (n - 1));
                }
            }
        } else {
            runningMean.readRow(0, mean);
            runningVar.readRow(0, invStd);
            for (int j = 0; j < width; j++) invStd[j] = 1 / Math.sqrt(invStd[j] + EPS);
        }
        // y = x alpha + (beta - mean alpha) with alpha = gamma / sigma, in PyTorch's order of operations
        theta[0].readRow(0, gamma);
        theta[1].readRow(0, beta);
        double[] alpha = gamma, shift = beta;
        for (int j = 0; j < width; j++) {
            alpha[j] = invStd[j] * gamma[j];
            shift[j] = beta[j] - mean[j] * alpha[j];
        }
        if (vectorized(x) && y.f != null) {
            BatchNormKernels.affine(x.f, x.offset, n, width, alpha, shift, y.f, y.offset);
            return;
        }
        for (int i = 0; i < n; i++) {
            x.readRow(i, xr);
            for (int j = 0; j < width; j++) out[j] = xr[j] * alpha[j] + shift[j];
            y.writeRow(i, out);
        }
    }

    /** sumG = sum over rows of g, sumGx = sum of g xhat, per feature. */
    private void sums(Tensor x, Tensor g) {
        Arrays.fill(sumG, 0);
        Arrays.fill(sumGx, 0);
        if (vectorized(x) && g.f != null) BatchNormKernels.gradientSums(x.f, x.offset, g.f, g.offset, x.rows(), width, mean, sumG, sumGx);
        else
            for (int i = 0, n = x.rows(); i < n; i++) {
                x.readRow(i, xr);
                g.readRow(i, gr);
                for (int j = 0; j < width; j++) {
                    sumG[j] += gr[j];
                    sumGx[j] += gr[j] * (xr[j] - mean[j]);
                }
            }
        for (int j = 0; j < width; j++) sumGx[j] *= invStd[j];
    }

    @Override
    public void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta) {
        sums(x, gy);
        gTheta[0].writeRow(0, sumGx);
        gTheta[1].writeRow(0, sumG);
        if (gx == null) return;
        theta[0].readRow(0, gamma);
        int n = x.rows();
        if (batchStatistics && vectorized(x) && gy.f != null && gx.f != null) {
            for (int j = 0; j < width; j++) {
                meanG[j] = sumG[j] / n;
                gain[j] = sumGx[j] * invStd[j] / n;
            }
            BatchNormKernels.inputGradient(x.f, x.offset, gy.f, gy.offset, n, width, mean, meanG, gain, invStd, gamma, gx.f, gx.offset);
            return;
        }
        for (int i = 0; i < n; i++) {
            gy.readRow(i, gr);
            if (batchStatistics) {
                x.readRow(i, xr);
                for (int j = 0; j < width; j++) {
                    double k = sumGx[j] * invStd[j] / n; // dx = (g - mean(g) - (x - mu) k) gamma / sigma
                    out[j] = (gr[j] - sumG[j] / n - (xr[j] - mean[j]) * k) * invStd[j] * gamma[j];
                }
            } else {
                for (int j = 0; j < width; j++) out[j] = gr[j] * invStd[j] * gamma[j];
            }
            gx.writeRow(i, out);
        }
    }

    /** Row i's xhat into xr and R{xhat} into rr (0 for a constant input), given x and R{x} read into xr and rr. */
    private void normalizedRow(boolean constantInput) {
        for (int j = 0; j < width; j++) {
            double xh = (xr[j] - mean[j]) * invStd[j];
            double r = constantInput ? 0 : batchStatistics ? rr[j] - rMean[j] - xh * rCovariance[j] : rr[j];
            xr[j] = xh;
            rr[j] = invStd[j] * r;
        }
    }

    private void readRows(Tensor x, Tensor rx, int i) {
        x.readRow(i, xr);
        if (rx != null) rx.readRow(i, rr);
        normalizedRow(rx == null);
    }

    @Override
    public void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry) {
        int n = x.rows();
        Arrays.fill(rMean, 0);
        Arrays.fill(rCovariance, 0);
        if (batchStatistics && rx != null) {
            for (int i = 0; i < n; i++) {
                x.readRow(i, xr);
                rx.readRow(i, rr);
                for (int j = 0; j < width; j++) {
                    rMean[j] += rr[j];
                    rCovariance[j] += (xr[j] - mean[j]) * invStd[j] * rr[j];
                }
            }
            for (int j = 0; j < width; j++) {
                rMean[j] /= n;
                rCovariance[j] /= n;
            }
        }
        theta[0].readRow(0, gamma);
        double[] vGamma = gr, vBeta = beta;
        v[0].readRow(0, vGamma);
        v[1].readRow(0, vBeta);
        for (int i = 0; i < n; i++) {
            readRows(x, rx, i);
            for (int j = 0; j < width; j++) out[j] = vGamma[j] * xr[j] + gamma[j] * rr[j] + vBeta[j];
            ry.writeRow(i, out);
        }
    }

    @Override
    public void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                          Tensor rgx, Tensor[] hv) {
        int n = x.rows();
        // hv: R{sum g xhat} = sum (R{g} xhat + g R{xhat}), R{sum g} = sum R{g}
        Arrays.fill(rSumG, 0);
        Arrays.fill(rSumGx, 0);
        for (int i = 0; i < n; i++) {
            readRows(x, rx, i);
            gy.readRow(i, gr);
            rgy.readRow(i, rgr);
            for (int j = 0; j < width; j++) {
                rSumG[j] += rgr[j];
                rSumGx[j] += rgr[j] * xr[j] + gr[j] * rr[j];
            }
        }
        hv[0].writeRow(0, rSumGx);
        hv[1].writeRow(0, rSumG);
        if (rgx == null) return;
        theta[0].readRow(0, gamma);
        double[] vGamma = beta;
        v[0].readRow(0, vGamma);
        if (batchStatistics) sums(x, gy);
        for (int i = 0; i < n; i++) {
            readRows(x, rx, i);
            gy.readRow(i, gr);
            rgy.readRow(i, rgr);
            for (int j = 0; j < width; j++) {
                double s = invStd[j];
                if (!batchStatistics) { // affine in x: R{gx} = (R{gamma} g + gamma R{g}) / sigma
                    out[j] = s * (vGamma[j] * gr[j] + gamma[j] * rgr[j]);
                    continue;
                }
                // gx = a c with a = gamma / sigma, c = g - (sum g + xhat sum g xhat) / n, and R{1/sigma} = -mean(xhat R{x}) / sigma^2
                double a = gamma[j] * s, ra = vGamma[j] * s - gamma[j] * s * s * rCovariance[j];
                double c = gr[j] - (sumG[j] + xr[j] * sumGx[j]) / n;
                double rc = rgr[j] - (rSumG[j] + rr[j] * sumGx[j] + xr[j] * rSumGx[j]) / n;
                out[j] = ra * c + a * rc;
            }
            rgx.writeRow(i, out);
        }
    }

    /**
     * With the running statistics each row is normalized on its own: row i's gradient is gy_i xhat_i for the scale
     * and gy_i for the shift. With batch statistics every row's output depends on every row, and no per-row gradient
     * of this kind exists.
     */
    @Override
    public boolean addRowGradientNorms(Tensor[] theta, Tensor x, Tensor y, Tensor gy, double[] into) {
        if (batchStatistics) return false;
        for (int i = 0, n = x.rows(); i < n; i++) {
            x.readRow(i, xr);
            gy.readRow(i, gr);
            for (int j = 0; j < width; j++) {
                double xh = (xr[j] - mean[j]) * invStd[j];
                into[i] += gr[j] * gr[j] * (xh * xh + 1);
            }
        }
        return true;
    }
}
