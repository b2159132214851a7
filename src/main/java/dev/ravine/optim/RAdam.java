package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Rectified Adam (Liu et al. 2020), by PyTorch's {@code torch.optim.RAdam} rule: while the variance of the adaptive
 * step is intractable (rho_t &lt;= 5) it takes a plain momentum step, afterwards Adam's step scaled by the
 * rectification r_t:
 * <pre>
 *   g = grad + weight_decay p;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
 *   rho_inf = 2 / (1 - beta2) - 1,   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 *   r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *   p = p - lr m / (1 - beta1^t) * r_t sqrt(1 - beta2^t) / (sqrt(v) + eps)    (rho_t &gt; 5)
 *   p = p - lr m / (1 - beta1^t)                                              (otherwise)
 * </pre>
 */
public final class RAdam extends ElementwiseOptimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-3, new double[] {0.9, 0.999}, 1e-8, 0, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
        }
    }

    private final Config config;

    public RAdam(Config config) {
        super("radam", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, m, v;
    private double beta1, beta2, bc1, bc2, lr, rect;
    private boolean rectified;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.radam(params.f, params.offset + from, grads.f, grads.offset + from, m.f, v.f, from, n, (float) beta1,
                    (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) bc1, (float) Math.sqrt(bc2), (float) lr, rectified,
                    (float) rect, (float) config.eps(), (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.radam(params.d, params.offset + from, grads.d, grads.offset + from, m.d, v.d, from, n, beta1, 1 - beta1, beta2,
                    1 - beta2, bc1, Math.sqrt(bc2), lr, rectified, rect, config.eps(), config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor firstMoment = state("exp_avg", params, 0), secondMoment = state("exp_avg_sq", params, 0);
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1];
        double biasCorrection1 = 1 - Math.pow(beta1, steps), biasCorrection2 = 1 - Math.pow(beta2, steps);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * steps * Math.pow(beta2, steps) / biasCorrection2;
        boolean rectified = rhoT > 5;
        double rect = rectified ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = firstMoment;
            this.v = secondMoment;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.bc1 = biasCorrection1;
            this.bc2 = biasCorrection2;
            this.lr = lr;
            this.rect = rect;
            this.rectified = rectified;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            firstMoment.set(i, flushSubnormal(params, beta1 * firstMoment.get(i) + (1 - beta1) * g));
            secondMoment.set(i, flushSubnormal(params, beta2 * secondMoment.get(i) + (1 - beta2) * g * g));
            double corrected = firstMoment.get(i) / biasCorrection1;
            if (rectified) {
                double adaptive = Math.sqrt(biasCorrection2) / (Math.sqrt(secondMoment.get(i)) + config.eps());
                params.set(i, p - corrected * lr * adaptive * rect);
            } else {
                params.set(i, p - corrected * lr);
            }
        }
    }
}
