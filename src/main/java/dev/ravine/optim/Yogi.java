package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class Yogi implements Optimizer {
    public record Config(double lr, double[] betas, double eps, double initialAccumulator, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, new double[] {0.9, 0.999}, 1e-3, 1e-6, 0, false);

        public Config {
            Adam.check(lr, betas, eps, weightDecay);
            if (!(initialAccumulator >= 0)) throw new IllegalArgumentException("Invalid initial_accumulator value: " + initialAccumulator);
        }
    }

    private final Config config;
    private Tensor firstMoment, secondMoment;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public Yogi(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "yogi";
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
            firstMoment.fill(config.initialAccumulator());
            secondMoment.fill(config.initialAccumulator());
        }
        steps++;
        double beta1 = Double.isNaN(cycledMomentum) ? config.betas()[0] : cycledMomentum, beta2 = config.betas()[1], wd = config.weightDecay();
        double stepSize = lr / (1 - Math.pow(beta1, steps)), biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            double g2 = g * g, v = secondMoment.get(i);
            secondMoment.set(i, v - (1 - beta2) * Math.signum(v - g2) * g2);
            firstMoment.set(i, beta1 * firstMoment.get(i) + (1 - beta1) * g);
            params.set(i, p - stepSize * firstMoment.get(i) / (Math.sqrt(secondMoment.get(i)) / biasCorrection2Sqrt + config.eps()));
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
        }
        return s;
    }
}
