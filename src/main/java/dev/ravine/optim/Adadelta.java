package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * AdaDelta (Zeiler 2012), by PyTorch's {@code torch.optim.Adadelta} rule:
 * <pre>
 *   g  = grad + weight_decay p
 *   v  = rho v + (1 - rho) g^2
 *   d  = sqrt(u + eps) / sqrt(v + eps) * g
 *   u  = rho u + (1 - rho) d^2
 *   p  = p - lr d
 * </pre>
 * Unlike Adam and RMSProp, eps sits inside both roots; the paper has no learning rate (PyTorch's lr=1 keeps it).
 */
public final class Adadelta extends ElementwiseOptimizer {
    public record Config(double lr, double rho, double eps, double weightDecay, boolean maximize) {
        public static final Config DEFAULTS = new Config(1.0, 0.9, 1e-6, 0, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(rho >= 0 && rho <= 1)) throw new IllegalArgumentException("Invalid rho value: " + rho);
            if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
        }
    }

    private final Config config;

    public Adadelta(Config config) {
        super("adadelta", config.lr(), false);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, sq, acc;
    private double lr;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        double rho = config.rho();
        if (params.f != null)
            Elementwise32.adadelta(params.f, params.offset + from, grads.f, grads.offset + from, sq.f, acc.f, from, n, (float) rho,
                    (float) (1 - rho), (float) config.eps(), (float) lr, (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.adadelta(params.d, params.offset + from, grads.d, grads.offset + from, sq.d, acc.d, from, n, rho, 1 - rho,
                    config.eps(), lr, config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor squareAverage = state("square_avg", params, 0), accumulatedDelta = state("acc_delta", params, 0);
        double rho = config.rho(), eps = config.eps();
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.sq = squareAverage;
            this.acc = accumulatedDelta;
            this.lr = lr;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            squareAverage.set(i, flushSubnormal(params, rho * squareAverage.get(i) + (1 - rho) * g * g));
            double delta = Math.sqrt(accumulatedDelta.get(i) + eps) / Math.sqrt(squareAverage.get(i) + eps) * g;
            accumulatedDelta.set(i, flushSubnormal(params, rho * accumulatedDelta.get(i) + (1 - rho) * delta * delta));
            params.set(i, p - lr * delta);
        }
    }
}
