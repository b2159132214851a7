package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdaMax, Adam under the infinity norm (Kingma &amp; Ba 2015, section 7), by PyTorch's {@code torch.optim.Adamax} rule:
 * <pre>
 *   g = grad + weight_decay p
 *   m = beta1 m + (1 - beta1) g,    u = max(beta2 u, |g| + eps)
 *   p = p - lr / (1 - beta1^t) * m / u
 * </pre>
 * PyTorch adds eps to |g| inside the max, not to the denominator.
 */
public final class Adamax implements Optimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(2e-3, new double[] {0.9, 0.999}, 1e-8, 0, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
        }
    }

    private final Config config;
    private Tensor firstMoment, infinityNorm;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public Adamax(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "adamax";
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
            infinityNorm = Tensor.zeros(params.dtype, 1, n);
        }
        steps++;
        double beta1 = Double.isNaN(cycledMomentum) ? config.betas()[0] : cycledMomentum, beta2 = config.betas()[1], wd = config.weightDecay();
        double clr = lr / (1 - Math.pow(beta1, steps));
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            firstMoment.set(i, beta1 * firstMoment.get(i) + (1 - beta1) * g);
            infinityNorm.set(i, Math.max(beta2 * infinityNorm.get(i), Math.abs(g) + config.eps()));
            params.set(i, p - clr * firstMoment.get(i) / infinityNorm.get(i));
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
            s.put("exp_inf", infinityNorm);
        }
        return s;
    }
}
