package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016), by PyTorch's {@code torch.optim.NAdam} rule, whose momentum
 * coefficient warms up with {@code momentum_decay}:
 * <pre>
 *   g = grad + weight_decay p
 *   mu_t = beta1 (1 - 0.96^(t psi) / 2),   M_t = mu_1 ... mu_t
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2,   d = sqrt(v / (1 - beta2^t)) + eps
 *   p = p - lr (1 - mu_t) / (1 - M_t) g / d - lr mu_{t+1} / (1 - M_t mu_t mu_{t+1}) m / d
 * </pre>
 * The second denominator counts mu_t twice, as PyTorch 1.13 (Debian's, ravine's reference) computes it; the paper
 * and PyTorch 2.x use 1 - M_t mu_{t+1}, which differs in the first steps and converges to the same rule. M_t is
 * kept in float32, as PyTorch 1.13 keeps it, whatever the parameters' dtype.
 */
public final class NAdam extends ElementwiseOptimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, double momentumDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(2e-3, new double[] {0.9, 0.999}, 1e-8, 0, 4e-3, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
            if (!(momentumDecay >= 0)) throw new IllegalArgumentException("Invalid momentum_decay value: " + momentumDecay);
        }
    }

    private final Config config;

    public NAdam(Config config) {
        super("nadam", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, m, v;
    private double beta1, beta2, bc2, gradientStep, momentumStep;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.nadam(params.f, params.offset + from, grads.f, grads.offset + from, m.f, v.f, from, n, (float) beta1,
                    (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) bc2, (float) gradientStep, (float) momentumStep,
                    (float) config.eps(), (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.nadam(params.d, params.offset + from, grads.d, grads.offset + from, m.d, v.d, from, n, beta1, 1 - beta1, beta2,
                    1 - beta2, bc2, gradientStep, momentumStep, config.eps(), config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor firstMoment = state("exp_avg", params, 0), secondMoment = state("exp_avg_sq", params, 0);
        Tensor product = scalarState("mu_product", 1);
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1], psi = config.momentumDecay();
        double biasCorrection2 = 1 - Math.pow(beta2, steps);
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, steps * psi));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (steps + 1) * psi));
        // PyTorch 1.13 multiplies a float32 scalar tensor by Python floats: the products round to float32
        float muProductF = (float) product.get(0) * (float) mu;
        product.set(0, muProductF);
        double muProduct = muProductF, muProductNext = muProductF * (float) mu * (float) muNext; // then .item(): double
        double gradientStep = lr * (1 - mu) / (1 - muProduct), momentumStep = lr * muNext / (1 - muProductNext);
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = firstMoment;
            this.v = secondMoment;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.bc2 = biasCorrection2;
            this.gradientStep = gradientStep;
            this.momentumStep = momentumStep;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            firstMoment.set(i, flushSubnormal(params, beta1 * firstMoment.get(i) + (1 - beta1) * g));
            secondMoment.set(i, flushSubnormal(params, beta2 * secondMoment.get(i) + (1 - beta2) * g * g));
            double denom = Math.sqrt(secondMoment.get(i) / biasCorrection2) + config.eps();
            p = Adam.round(params, p - gradientStep * g / denom); // two in-place updates in PyTorch
            params.set(i, p - momentumStep * firstMoment.get(i) / denom);
        }
    }
}
