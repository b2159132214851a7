package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) with optional AMSGrad (Reddi et al. 2018), by PyTorch's {@code torch.optim.Adam} rule:
 * <pre>
 *   g = grad + weight_decay p                      (L2 through the gradient; g = -grad first when maximize)
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   vmax = max(vmax, v)                            (amsgrad: the max of the raw second moment)
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v or vmax) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * eps is added outside the square root and after the bias correction of v, as PyTorch does, not to v-hat inside
 * the root. With {@code decoupled} it is AdamW (Loshchilov &amp; Hutter 2019), PyTorch's {@code torch.optim.AdamW}:
 * p = p (1 - lr weight_decay) first, and the gradient is left alone.
 */
public final class Adam implements Optimizer {
    public record Config(double lr, double[] betas, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-3, new double[] {0.9, 0.999}, 1e-8, 0, false, false);
        /** AdamW differs only in its default decay. */
        public static final Config ADAMW_DEFAULTS = new Config(1e-3, new double[] {0.9, 0.999}, 1e-8, 1e-2, false, false);

        public Config {
            check(lr, betas, eps, weightDecay);
        }
    }

    /** PyTorch's checks, shared by the Adam family. */
    static void check(double lr, double[] betas, double eps, double weightDecay) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        if (betas.length != 2) throw new IllegalArgumentException("betas needs two values, got " + betas.length);
        for (int i = 0; i < 2; i++)
            if (!(betas[i] >= 0 && betas[i] < 1))
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
    }

    private final Config config;
    private final boolean decoupled;
    private Tensor firstMoment, secondMoment, maxSecondMoment;
    private long steps;

    /** Set by a schedule that cycles momentum (onecycle); NaN keeps the configured value. */
    private double cycledMomentum = Double.NaN;

    @Override
    public boolean cycleMomentum(double value) {
        cycledMomentum = value;
        return true;
    }

    public Adam(Config config, boolean decoupled) {
        this.config = config;
        this.decoupled = decoupled;
    }

    @Override
    public String name() {
        return decoupled ? "adamw" : "adam";
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
            if (config.amsgrad()) maxSecondMoment = Tensor.zeros(params.dtype, 1, n);
        }
        steps++;
        double beta1 = Double.isNaN(cycledMomentum) ? config.betas()[0] : cycledMomentum, beta2 = config.betas()[1], eps = config.eps(), wd = config.weightDecay();
        double stepSize = lr / (1 - Math.pow(beta1, steps));
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        for (int i = 0; i < n; i++) {
            double p = params.get(i), g = config.maximize() ? -grads.get(i) : grads.get(i);
            if (decoupled) p = round(params, p * (1 - lr * wd));
            else if (wd != 0) g += wd * p;
            firstMoment.set(i, beta1 * firstMoment.get(i) + (1 - beta1) * g);
            secondMoment.set(i, beta2 * secondMoment.get(i) + (1 - beta2) * g * g);
            double v = secondMoment.get(i);
            if (maxSecondMoment != null) {
                v = Math.max(maxSecondMoment.get(i), v);
                maxSecondMoment.set(i, v);
            }
            params.set(i, p - stepSize * firstMoment.get(i) / (Math.sqrt(v) / biasCorrection2Sqrt + eps));
        }
    }

    /** A value as the parameters' dtype holds it: PyTorch's in-place decay rounds before the step. */
    static double round(Tensor like, double v) {
        return like.f != null ? (float) v : v;
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
        if (maxSecondMoment != null) s.put("max_exp_avg_sq", maxSecondMoment);
        return s;
    }
}
