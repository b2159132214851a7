package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;

/**
 * Adam (Kingma &amp; Ba 2015) with optional AMSGrad (Reddi et al. 2018), by PyTorch's {@code torch.optim.Adam} rule:
 * <pre>
 *   g = grad + weight_decay p                      (L2 through the gradient; g = -grad first when maximize)
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   vmax = max(vmax, v)                            (amsgrad: the max of the raw second moment)
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v or vmax) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * eps is added outside the square root and after the bias correction of v, as PyTorch does, not to v-hat inside
 * the root. With {@code decoupled} it is AdamW (Loshchilov &amp; Hutter 2019), PyTorch's {@code torch.optim.AdamW}:
 * p = p (1 - lr weight_decay) first, and the gradient is left alone.
 */
public final class Adam extends ElementwiseOptimizer implements Preconditioned {
    public record Config(double lr, double[] betas, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-3, new double[] {0.9, 0.999}, 1e-8, 0, false, false);
        /** AdamW differs only in its default decay. */
        public static final Config ADAMW_DEFAULTS = new Config(1e-3, new double[] {0.9, 0.999}, 1e-8, 1e-2, false, false);

        public Config {
            check(lr, betas, eps, weightDecay);
        }
    }

    /** PyTorch's checks, shared by the Adam family. */
    static void check(double lr, double[] betas, double eps, double weightDecay) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        if (betas.length != 2) throw new IllegalArgumentException("betas needs two values, got " + betas.length);
        for (int i = 0; i < 2; i++)
            if (!(betas[i] >= 0 && betas[i] < 1))
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
    }

    private final Config config;
    private final boolean decoupled;
    // the step's operands, for updateSlice
    private Tensor params, grads, m, v, vmax;
    private double beta1, beta2, stepSize, invBc2Sqrt, shrink;

    public Adam(Config config, boolean decoupled) {
        super(decoupled ? "adamw" : "adam", config.lr(), true);
        this.config = config;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor firstMoment = state("exp_avg", params, 0), secondMoment = state("exp_avg_sq", params, 0);
        Tensor maxSecondMoment = config.amsgrad() ? state("max_exp_avg_sq", params, 0) : null;
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1], eps = config.eps(), wd = config.weightDecay();
        double stepSize = lr / (1 - Math.pow(beta1, steps));
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = firstMoment;
            this.v = secondMoment;
            this.vmax = maxSecondMoment;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.stepSize = stepSize;
            this.invBc2Sqrt = 1 / biasCorrection2Sqrt;
            this.shrink = 1 - lr * wd;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g;
            if (decoupled) {
                g = gradient(grads, i, config.maximize(), 0, p);
                p = round(params, p * (1 - lr * wd));
            } else {
                g = gradient(grads, i, config.maximize(), wd, p);
            }
            firstMoment.set(i, flushSubnormal(params, beta1 * firstMoment.get(i) + (1 - beta1) * g));
            secondMoment.set(i, flushSubnormal(params, beta2 * secondMoment.get(i) + (1 - beta2) * g * g));
            double v = secondMoment.get(i);
            if (maxSecondMoment != null) {
                v = Math.max(maxSecondMoment.get(i), v);
                maxSecondMoment.set(i, v);
            }
            params.set(i, p - stepSize * firstMoment.get(i) / (Math.sqrt(v) * (1 / biasCorrection2Sqrt) + eps));
        }
    }

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        double eps = config.eps(), wd = config.weightDecay();
        if (params.f != null)
            Elementwise32.adam(params.f, params.offset + from, grads.f, grads.offset + from, m.f, v.f, vmax == null ? null : vmax.f, from,
                    n, (float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), (float) stepSize, (float) invBc2Sqrt,
                    (float) eps, (float) wd, decoupled, (float) shrink, config.maximize());
        else
            Elementwise64.adam(params.d, params.offset + from, grads.d, grads.offset + from, m.d, v.d, vmax == null ? null : vmax.d, from,
                    n, beta1, beta2, 1 - beta1, 1 - beta2, stepSize, invBc2Sqrt, eps, wd, decoupled, shrink, config.maximize());
    }

    /** A value as the parameters' dtype holds it: PyTorch's in-place decay rounds before the step. */
    static double round(Tensor like, double v) {
        return like.f != null ? (float) v : v;
    }

    /** P = (1 - beta1^t) (sqrt(v / (1 - beta2^t)) + eps), v the (amsgrad: the running max of the) second moment. */
    @Override
    public double[] preconditioner(double[] into) {
        Tensor v = state().get(config.amsgrad() ? "max_exp_avg_sq" : "exp_avg_sq");
        if (v == null || steps == 0) return null;
        double beta1 = momentum(config.betas()[0]), bc1 = 1 - Math.pow(beta1, steps), bc2 = 1 - Math.pow(config.betas()[1], steps);
        double[] p = VectorMath.reuse(into, v.size());
        for (int i = 0; i < p.length; i++) p[i] = bc1 * (Math.sqrt(v.get(i) / bc2) + config.eps());
        return p;
    }

    /** (2 + 2 beta1) / ((1 - beta1) lr): 38/lr at beta1 = 0.9. */
    @Override
    public double stabilityThreshold(double lr) {
        double beta1 = momentum(config.betas()[0]);
        return (2 + 2 * beta1) / ((1 - beta1) * lr);
    }
}
