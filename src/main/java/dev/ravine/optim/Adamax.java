package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * AdaMax, Adam under the infinity norm (Kingma &amp; Ba 2015, section 7), by PyTorch's {@code torch.optim.Adamax} rule:
 * <pre>
 *   g = grad + weight_decay p
 *   m = beta1 m + (1 - beta1) g,    u = max(beta2 u, |g| + eps)
 *   p = p - lr / (1 - beta1^t) * m / u
 * </pre>
 * PyTorch adds eps to |g| inside the max, not to the denominator.
 */
public final class Adamax extends ElementwiseOptimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(2e-3, new double[] {0.9, 0.999}, 1e-8, 0, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
        }
    }

    private final Config config;

    public Adamax(Config config) {
        super("adamax", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, m, u;
    private double beta1, beta2, clr;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.adamax(params.f, params.offset + from, grads.f, grads.offset + from, m.f, u.f, from, n, (float) beta1,
                    (float) (1 - beta1), (float) beta2, (float) config.eps(), (float) clr, (float) config.weightDecay(),
                    config.maximize());
        else
            Elementwise64.adamax(params.d, params.offset + from, grads.d, grads.offset + from, m.d, u.d, from, n, beta1, 1 - beta1, beta2,
                    config.eps(), clr, config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor firstMoment = state("exp_avg", params, 0), infinityNorm = state("exp_inf", params, 0);
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1];
        double clr = lr / (1 - Math.pow(beta1, steps));
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = firstMoment;
            this.u = infinityNorm;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.clr = clr;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            firstMoment.set(i, flushSubnormal(params, beta1 * firstMoment.get(i) + (1 - beta1) * g));
            infinityNorm.set(i, Math.max(beta2 * infinityNorm.get(i), Math.abs(g) + config.eps()));
            params.set(i, p - clr * firstMoment.get(i) / infinityNorm.get(i));
        }
    }
}
