package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011), by PyTorch's {@code torch.optim.Adagrad} rule:
 * <pre>
 *   g = grad + weight_decay p;   lr_t = lr / (1 + (t - 1) lr_decay)
 *   s = s + g^2                  (s starts at initial_accumulator_value)
 *   p = p - lr_t g / (sqrt(s) + eps)
 * </pre>
 * eps is added outside the root.
 */
public final class Adagrad extends ElementwiseOptimizer {
    public record Config(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, 0, 0, 0, 1e-10, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(lrDecay >= 0)) throw new IllegalArgumentException("Invalid lr_decay value: " + lrDecay);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
            if (!(initialAccumulatorValue >= 0))
                throw new IllegalArgumentException("Invalid initial_accumulator_value value: " + initialAccumulatorValue);
            if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        }
    }

    private final Config config;

    public Adagrad(Config config) {
        super("adagrad", config.lr(), false);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, sum;
    private double lr;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.adagrad(params.f, params.offset + from, grads.f, grads.offset + from, sum.f, from, n, (float) lr,
                    (float) config.eps(), (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.adagrad(params.d, params.offset + from, grads.d, grads.offset + from, sum.d, from, n, lr, config.eps(),
                    config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor sum = state("sum", params, config.initialAccumulatorValue());
        double clr = lr / (1 + (steps - 1) * config.lrDecay());
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.sum = sum;
            this.lr = clr;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            sum.set(i, sum.get(i) + g * g);
            params.set(i, p - clr * g / (Math.sqrt(sum.get(i)) + config.eps()));
        }
    }
}
