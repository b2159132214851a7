package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Yogi (Zaheer et al. 2018, "Adaptive Methods for Nonconvex Optimization"): Adam whose second moment moves
 * additively, by at most (1 - beta2) g^2 a step, so it cannot forget large past gradients as fast as Adam:
 * <pre>
 *   g = grad + weight_decay p
 *   m = beta1 m + (1 - beta1) g,    v = v - (1 - beta2) sign(v - g^2) g^2
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Defaults are the paper's (lr 1e-2, eps 1e-3, v started at 1e-6); m and v both start at
 * {@code initial_accumulator} and are bias-corrected as in pytorch-optimizer's Yogi, the implementation PyTorch
 * users compare with.
 */
public final class Yogi extends ElementwiseOptimizer {
    public record Config(double lr, double[] betas, double eps, double initialAccumulator, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, new double[] {0.9, 0.999}, 1e-3, 1e-6, 0, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
            if (!(initialAccumulator >= 0)) throw new IllegalArgumentException("Invalid initial_accumulator value: " + initialAccumulator);
        }
    }

    private final Config config;

    public Yogi(Config config) {
        super("yogi", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, m, v;
    private double beta1, beta2, stepSize, bc2Sqrt;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.yogi(params.f, params.offset + from, grads.f, grads.offset + from, m.f, v.f, from, n, (float) beta1,
                    (float) (1 - beta1), (float) (1 - beta2), (float) stepSize, (float) bc2Sqrt, (float) config.eps(),
                    (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.yogi(params.d, params.offset + from, grads.d, grads.offset + from, m.d, v.d, from, n, beta1, 1 - beta1,
                    1 - beta2, stepSize, bc2Sqrt, config.eps(), config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor firstMoment = state("exp_avg", params, config.initialAccumulator());
        Tensor secondMoment = state("exp_avg_sq", params, config.initialAccumulator());
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1];
        double stepSize = lr / (1 - Math.pow(beta1, steps)), biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = firstMoment;
            this.v = secondMoment;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.stepSize = stepSize;
            this.bc2Sqrt = biasCorrection2Sqrt;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            double g2 = g * g, v = secondMoment.get(i);
            secondMoment.set(i, v - (1 - beta2) * Math.signum(v - g2) * g2);
            firstMoment.set(i, flushSubnormal(params, beta1 * firstMoment.get(i) + (1 - beta1) * g));
            params.set(i, p - stepSize * firstMoment.get(i) / (Math.sqrt(secondMoment.get(i)) / biasCorrection2Sqrt + config.eps()));
        }
    }
}
