package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Averaged SGD (Polyak &amp; Juditsky 1992, with the decaying rate of Bottou 2012), by PyTorch's
 * {@code torch.optim.ASGD} rule:
 * <pre>
 *   g = grad + weight_decay p
 *   p = p (1 - lambd eta) - eta g
 *   ax = p if mu = 1, else ax + mu (p - ax)       (the running average of the iterates)
 *   eta = lr / (1 + lambd lr t)^alpha;   mu = 1 / max(1, t - t0)
 * </pre>
 * eta starts at lr. Averaging begins after t0 steps (10^6 by default, so at first ax just follows p). The
 * average is the optimizer's state {@code ax}, as in PyTorch; the model trains on p. PyTorch keeps eta and mu as
 * float32 scalar tensors whatever the model's dtype, and so does this.
 */
public final class Asgd extends ElementwiseOptimizer {
    public record Config(double lr, double lambd, double alpha, double t0, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, 1e-4, 0.75, 1e6, 0, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
        }
    }

    private final Config config;

    public Asgd(Config config) {
        super("asgd", config.lr(), false);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, ax;
    private double step, average, decay;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.asgd(params.f, params.offset + from, grads.f, grads.offset + from, ax.f, from, n, (float) decay, (float) step, (float) average,
                    (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.asgd(params.d, params.offset + from, grads.d, grads.offset + from, ax.d, from, n, decay, step, average, config.weightDecay(),
                    config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor ax = state("ax", params, 0), eta = scalarState("eta", lr), mu = scalarState("mu", 1);
        double step = eta.get(0), average = mu.get(0), decay = 1 - config.lambd() * step;
        if (params.f != null) decay = (float) decay; // a Python float applied to a float32 tensor
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.ax = ax;
            this.step = step;
            this.average = average;
            this.decay = decay;
            sweep(params.size());
        } else {
            scalarUpdate(params, grads, ax, step, average, decay);
        }
        eta.set(0, lr / Math.pow(1 + config.lambd() * lr * steps, config.alpha()));
        mu.set(0, 1 / Math.max(1, steps - config.t0()));
    }

    private void scalarUpdate(Tensor params, Tensor grads, Tensor ax, double step, double average, double decay) {
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            params.set(i, p * decay);
            params.set(i, params.get(i) - step * g);
            ax.set(i, average != 1 ? ax.get(i) + (params.get(i) - ax.get(i)) * average : params.get(i));
        }
    }
}
