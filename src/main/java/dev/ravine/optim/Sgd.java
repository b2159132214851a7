package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.Map;

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
public final class Sgd implements Optimizer {
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
    private Tensor momentumBuffer;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public Sgd(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public double learningRate() {
        return config.lr();
    }

    @Override
    public void step(Tensor params, Tensor grads, double lr) {
        double mu = Double.isNaN(cycledMomentum) ? config.momentum() : cycledMomentum, wd = config.weightDecay(), keep = 1 - config.dampening();
        boolean first = steps == 0;
        if (mu != 0 && momentumBuffer == null) momentumBuffer = Tensor.zeros(params.dtype, 1, params.size());
        for (int i = 0, n = params.size(); i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            if (mu != 0) {
                double b = first ? g : mu * momentumBuffer.get(i) + keep * g;
                momentumBuffer.set(i, b);
                b = momentumBuffer.get(i); // as stored, so float32 runs round like PyTorch's buffer
                g = config.nesterov() ? g + mu * b : b;
            }
            params.set(i, p - lr * g);
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        return momentumBuffer == null ? Map.of() : Map.of("momentum_buffer", momentumBuffer);
    }
}
