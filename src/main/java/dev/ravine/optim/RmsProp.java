package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;

/**
 * RMSProp (Tieleman &amp; Hinton 2012; centered form from Graves 2013), by PyTorch's {@code torch.optim.RMSprop} rule:
 * <pre>
 *   g = grad + weight_decay p
 *   v = alpha v + (1 - alpha) g^2
 *   d = sqrt(v - gbar^2) + eps, with gbar = alpha gbar + (1 - alpha) g   (centered)    or   d = sqrt(v) + eps
 *   b = momentum b + g / d,  p = p - lr b          (momentum > 0)          or   p = p - lr g / d
 * </pre>
 * eps is added outside the root; with momentum the learning rate multiplies the buffer, as in SGD.
 */
public final class RmsProp extends ElementwiseOptimizer implements Preconditioned {
    public record Config(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, 0.99, 1e-8, 0, 0, false, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
            if (!(momentum >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
            if (!(alpha >= 0)) throw new IllegalArgumentException("Invalid alpha value: " + alpha);
        }
    }

    private final Config config;

    public RmsProp(Config config) {
        super("rmsprop", config.lr(), true);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, sq, avg, buffer;
    private double lr, mu;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        if (params.f != null)
            Elementwise32.rmsprop(params.f, params.offset + from, grads.f, grads.offset + from, sq.f, avg == null ? null : avg.f,
                    buffer == null ? null : buffer.f, from, n, (float) lr, (float) config.alpha(), (float) (1 - config.alpha()),
                    (float) config.eps(), (float) mu, (float) config.weightDecay(), config.maximize());
        else
            Elementwise64.rmsprop(params.d, params.offset + from, grads.d, grads.offset + from, sq.d, avg == null ? null : avg.d,
                    buffer == null ? null : buffer.d, from, n, lr, config.alpha(), 1 - config.alpha(), config.eps(), mu,
                    config.weightDecay(), config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor squareAverage = state("square_avg", params, 0);
        Tensor gradientAverage = config.centered() ? state("grad_avg", params, 0) : null;
        double alpha = config.alpha(), mu = momentum(config.momentum());
        Tensor buffer = mu > 0 ? state("momentum_buffer", params, 0) : null;
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.sq = squareAverage;
            this.avg = gradientAverage;
            this.buffer = buffer;
            this.lr = lr;
            this.mu = mu;
            sweep(params.size());
            return;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = gradient(grads, i, config.maximize(), config.weightDecay(), p);
            squareAverage.set(i, flushSubnormal(params, alpha * squareAverage.get(i) + (1 - alpha) * g * g));
            double v = squareAverage.get(i);
            if (gradientAverage != null) {
                gradientAverage.set(i, v == 0 ? 0 : flushSubnormal(params, alpha * gradientAverage.get(i) + (1 - alpha) * g));
                double gbar = gradientAverage.get(i);
                v = v - gbar * gbar;
            }
            double denom = Math.sqrt(v) + config.eps();
            if (buffer != null) {
                buffer.set(i, flushSubnormal(params, mu * buffer.get(i) + g / denom));
                params.set(i, p - lr * buffer.get(i));
            } else {
                params.set(i, p - lr * g / denom);
            }
        }
    }

    /** P = sqrt(v) + eps, with v the square average (centered: minus the squared gradient average). */
    @Override
    public double[] preconditioner(double[] into) {
        Tensor v = state().get("square_avg"), g = state().get("grad_avg");
        if (v == null) return null;
        double[] p = VectorMath.reuse(into, v.size());
        for (int i = 0; i < p.length; i++) p[i] = Math.sqrt(v.get(i) - (g == null ? 0 : g.get(i) * g.get(i))) + config.eps();
        return p;
    }

    /** (2 + 2 momentum) / lr: heavy-ball momentum widens plain gradient descent's 2/lr. */
    @Override
    public double stabilityThreshold(double lr) {
        return (2 + 2 * momentum(config.momentum())) / lr;
    }
}
