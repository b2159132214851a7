package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Lion, evolved sign momentum (Chen et al. 2023, "Symbolic discovery of optimization algorithms"), by the rule of
 * the reference implementation that {@code pytorch-optimizer} ships:
 * <pre>
 *   p = p (1 - lr weight_decay)                 decoupled, as AdamW's
 *   p = p - lr sign(beta1 m + (1 - beta1) g)
 *   m = beta2 m + (1 - beta2) g
 * </pre>
 * Every weight moves by exactly lr a step (or not at all), like signSGD, so the step's size is the rate's alone and
 * the rate wants to be 3-10 times smaller than AdamW's; interpolating with beta1 before the sign and tracking with
 * the slower beta2 after it gives the sign a longer memory than its update. A float32 run rounds each operation to
 * float32 as PyTorch's float32 tensors do.
 */
public final class Lion extends ElementwiseOptimizer {
    public record Config(double lr, double[] betas, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-4, new double[] {0.9, 0.99}, 0, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (betas.length != 2) throw new IllegalArgumentException("betas takes two values, beta1|beta2, got " + betas.length);
            for (int i = 0; i < 2; i++)
                if (!(betas[i] >= 0 && betas[i] < 1)) throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
        }
    }

    private final Config config;

    public Lion(Config config) {
        super("lion", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, m;
    private double beta1, beta2, lr;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        boolean decayed = config.weightDecay() != 0;
        double decay = 1 - lr * config.weightDecay();
        if (params.f != null)
            Elementwise32.lion(params.f, params.offset + from, grads.f, grads.offset + from, m.f, from, n, (float) beta1, (float) (1 - beta1),
                    (float) beta2, (float) (1 - beta2), (float) lr, (float) decay, decayed, config.maximize());
        else
            Elementwise64.lion(params.d, params.offset + from, grads.d, grads.offset + from, m.d, from, n, beta1, 1 - beta1, beta2, 1 - beta2, lr,
                    decay, decayed, config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor m = state("exp_avg", params, 0);
        boolean single = params.f != null;
        double beta1 = momentum(config.betas()[0]), beta2 = config.betas()[1];
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.m = m;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.lr = lr;
            sweep(params.size());
            return;
        }
        // the scalars as PyTorch hands them to float32 kernels: rounded to float32 once
        double b1 = round(single, beta1), c1 = round(single, 1 - beta1), b2 = round(single, beta2), c2 = round(single, 1 - beta2);
        double step = round(single, lr), decay = round(single, 1 - lr * config.weightDecay());
        for (int i = 0, n = params.size(); i < n; i++) {
            double g = gradient(grads, i, config.maximize(), 0, 0), mi = m.get(i);
            double p = config.weightDecay() != 0 ? round(single, params.get(i) * decay) : params.get(i);
            double direction = Math.signum(round(single, round(single, mi * b1) + round(single, g * c1)));
            params.set(i, round(single, p - step * direction));
            m.set(i, flushSubnormal(params, round(single, round(single, mi * b2) + round(single, g * c2))));
        }
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }
}
