package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * and PyTorch 2.x use 1 - M_t mu_{t+1}, which differs in the first steps and converges to the same rule.
 */
public final class NAdam implements Optimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, double momentumDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(2e-3, new double[] {0.9, 0.999}, 1e-8, 0, 4e-3, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
            if (!(momentumDecay >= 0)) throw new IllegalArgumentException("Invalid momentum_decay value: " + momentumDecay);
        }
    }

    private final Config config;
    private Tensor firstMoment, secondMoment;
    private double muProduct = 1;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public NAdam(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "nadam";
    }

    @Override
    public double learningRate() {
        return config.lr();
    }

    @Override
    public void step(Tensor params, Tensor grads, double lr) {
        int n = params.size();
        if (firstMoment == null) {
            firstMoment = Tensor.zeros(params.dtype, 1, n);
            secondMoment = Tensor.zeros(params.dtype, 1, n);
        }
        steps++;
        double beta1 = Double.isNaN(cycledMomentum) ? config.betas()[0] : cycledMomentum, beta2 = config.betas()[1], wd = config.weightDecay(), psi = config.momentumDecay();
        double biasCorrection2 = 1 - Math.pow(beta2, steps);
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, steps * psi));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (steps + 1) * psi));
        muProduct *= mu;
        double muProductNext = muProduct * mu * muNext;
        double gradientStep = lr * (1 - mu) / (1 - muProduct), momentumStep = lr * muNext / (1 - muProductNext);
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            firstMoment.set(i, beta1 * firstMoment.get(i) + (1 - beta1) * g);
            secondMoment.set(i, beta2 * secondMoment.get(i) + (1 - beta2) * g * g);
            double denom = Math.sqrt(secondMoment.get(i) / biasCorrection2) + config.eps();
            p = Adam.round(params, p - gradientStep * g / denom); // two in-place updates in PyTorch
            params.set(i, p - momentumStep * firstMoment.get(i) / denom);
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (firstMoment != null) {
            s.put("exp_avg", firstMoment);
            s.put("exp_avg_sq", secondMoment);
            Tensor product = Tensor.zeros(firstMoment.dtype, 1, 1);
            product.set(0, muProduct);
            s.put("mu_product", product);
        }
        return s;
    }
}
