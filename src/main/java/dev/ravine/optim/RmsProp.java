package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class RmsProp implements Optimizer {
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
    private Tensor squareAverage, gradientAverage, momentumBuffer;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public RmsProp(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public double learningRate() {
        return config.lr();
    }

    @Override
    public void step(Tensor params, Tensor grads, double lr) {
        int n = params.size();
        if (squareAverage == null) {
            squareAverage = Tensor.zeros(params.dtype, 1, n);
            if (config.centered()) gradientAverage = Tensor.zeros(params.dtype, 1, n);
        }
        steps++;
        double alpha = config.alpha(), wd = config.weightDecay(), mu = Double.isNaN(cycledMomentum) ? config.momentum() : cycledMomentum;
        if (momentumBuffer == null && mu > 0) momentumBuffer = Tensor.zeros(params.dtype, 1, n);
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            squareAverage.set(i, alpha * squareAverage.get(i) + (1 - alpha) * g * g);
            double v = squareAverage.get(i);
            if (gradientAverage != null) {
                gradientAverage.set(i, alpha * gradientAverage.get(i) + (1 - alpha) * g);
                double gbar = gradientAverage.get(i);
                v = v - gbar * gbar;
            }
            double denom = Math.sqrt(v) + config.eps();
            if (momentumBuffer != null) {
                momentumBuffer.set(i, mu * momentumBuffer.get(i) + g / denom);
                params.set(i, p - lr * momentumBuffer.get(i));
            } else {
                params.set(i, p - lr * g / denom);
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (squareAverage != null) s.put("square_avg", squareAverage);
        if (gradientAverage != null) s.put("grad_avg", gradientAverage);
        if (momentumBuffer != null) s.put("momentum_buffer", momentumBuffer);
        return s;
    }
}
