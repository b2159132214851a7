package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class Adadelta implements Optimizer {
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
    private Tensor squareAverage, accumulatedDelta;
    private long steps;

    public Adadelta(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "adadelta";
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
            accumulatedDelta = Tensor.zeros(params.dtype, 1, n);
        }
        steps++;
        double rho = config.rho(), eps = config.eps(), wd = config.weightDecay();
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (wd != 0) g += wd * p;
            squareAverage.set(i, rho * squareAverage.get(i) + (1 - rho) * g * g);
            double delta = Math.sqrt(accumulatedDelta.get(i) + eps) / Math.sqrt(squareAverage.get(i) + eps) * g;
            accumulatedDelta.set(i, rho * accumulatedDelta.get(i) + (1 - rho) * delta * delta);
            params.set(i, p - lr * delta);
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (squareAverage != null) {
            s.put("square_avg", squareAverage);
            s.put("acc_delta", accumulatedDelta);
        }
        return s;
    }
}
