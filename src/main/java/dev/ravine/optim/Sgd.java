package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum (Polyak 1964) and Nesterov's variant (Sutskever et al. 2013), by
 * PyTorch's {@code torch.optim.SGD} rule:
 * <pre>
 *   g   = grad + weight_decay p            (g = -grad first when maximize)
 *   b_1 = g,  b_t = momentum b_{t-1} + (1 - dampening) g
 *   g   = g + momentum b_t  (nesterov)  or  g = b_t
 *   p   = p - lr g
 * </pre>
 * Unlike the textbook v = mu v - lr g, the learning rate multiplies the buffer rather than entering it, so a
 * schedule changes the step at once; and the first buffer is the gradient itself, undampened.
 */
public final class Sgd extends ElementwiseOptimizer {
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-3, 0, 0, 0, false, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(momentum >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
            if (Double.isNaN(dampening)) throw new IllegalArgumentException("Invalid dampening value: " + dampening);
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    private final Config config;
    /** Whether the momentum buffer holds anything yet (PyTorch starts it from the first gradient that uses it). */
    private boolean started;

    public Sgd(Config config) {
        super("sgd", config.lr(), true);
        this.config = config;
    }

    @Override
    public void restore(java.util.Map<String, Tensor> saved, long steps) {
        super.restore(saved, steps);
        started = saved.containsKey("momentum_buffer");
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, buffer;
    private double lr, mu, keep;
    private boolean first;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.sgd(params.f, params.offset + from, grads.f, grads.offset + from, buffer == null ? null : buffer.f, from, n,
                    (float) lr, (float) mu, (float) keep, (float) config.weightDecay(), first, config.nesterov(), config.maximize());
        else
            Elementwise64.sgd(params.d, params.offset + from, grads.d, grads.offset + from, buffer == null ? null : buffer.d, from, n, lr,
                    mu, keep, config.weightDecay(), first, config.nesterov(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        double mu = momentum(config.momentum()), keep = 1 - config.dampening();
        Tensor buffer = mu != 0 ? state("momentum_buffer", params, 0) : null;
        boolean first = buffer != null && !started;
        if (buffer != null) started = true;
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.buffer = buffer;
            this.lr = lr;
            this.mu = mu;
            this.keep = keep;
            this.first = first;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            if (buffer != null) {
                buffer.set(i, first ? g : flushSubnormal(params, mu * buffer.get(i) + keep * g));
                double b = buffer.get(i); // as stored, so float32 runs round like PyTorch's buffer
                g = config.nesterov() ? g + mu * b : b;
            }
            params.set(i, p - lr * g);
        }
    }
}
