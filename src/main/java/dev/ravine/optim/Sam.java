package dev.ravine.optim;

import dev.ravine.tensor.Tensor;

/**
 * Sharpness-aware minimization (Foret et al. 2021, "Sharpness-aware minimization for efficiently improving
 * generalization"): each step minimizes the worst loss within a ball of radius rho around the weights rather than
 * the loss at them. To first order the worst point is w + e(w), e(w) = rho g / |g|; SAM takes the gradient there and
 * hands it to the base optimizer, which steps from w. A minimum whose neighbourhood is high (sharp) is left for a
 * flat one. {@code adaptive} is ASAM (Kwon et al. 2021), whose ball is scaled by each weight's size,
 * e(w) = rho |w|^2 g / | |w| g |, so that rescaling a ReLU layer does not change what it finds. The rule, its
 * 1e-12 and its names are those of the reference implementation that {@code pytorch-optimizer} also ships.
 *
 * @param rho      the ball's radius
 * @param adaptive ASAM's scale-invariant ball
 */
public record Sam(double rho, boolean adaptive) {
    public static final Sam DEFAULTS = new Sam(0.05, false);

    public Sam {
        if (!(rho >= 0) || Double.isInfinite(rho)) throw new IllegalArgumentException("Invalid rho, should be non-negative: " + rho);
    }

    /** {@code rho=X,adaptive=true|false}. */
    public static Sam parse(String option, String text) {
        return new Spec(option, text, "sam", Spec.parse(option, "sam:" + text).values()).bind(DEFAULTS);
    }

    /**
     * Moves {@code params} from w to w + e(w) for the gradient {@code grads} at w. Each operation is rounded in the
     * weights' dtype as PyTorch's tensors round it; the caller keeps w to go back to exactly, as SAM restores it.
     */
    public void ascend(Tensor params, Tensor grads) {
        int n = params.size();
        if (params.f != null) ascend(params.f, params.offset, grads.f, grads.offset, n);
        else ascend(params.d, params.offset, grads.d, grads.offset, n);
    }

    private void ascend(float[] w, int wo, float[] g, int go, int n) {
        double a = 0, b = 0; // two sums, so that the additions do not wait on each other
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float x = adaptive ? Math.abs(w[wo + i]) * g[go + i] : g[go + i], y = adaptive ? Math.abs(w[wo + i + 1]) * g[go + i + 1] : g[go + i + 1];
            a += (double) x * x;
            b += (double) y * y;
        }
        if (i < n) {
            float x = adaptive ? Math.abs(w[wo + i]) * g[go + i] : g[go + i];
            a += (double) x * x;
        }
        float scale = (float) (rho / ((float) Math.sqrt(a + b) + 1e-12));
        for (i = 0; i < n; i++) {
            float wi = w[wo + i], e = (adaptive ? wi * wi * g[go + i] : g[go + i]) * scale;
            w[wo + i] = wi + e;
        }
    }

    private void ascend(double[] w, int wo, double[] g, int go, int n) {
        double a = 0, b = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double x = adaptive ? Math.abs(w[wo + i]) * g[go + i] : g[go + i], y = adaptive ? Math.abs(w[wo + i + 1]) * g[go + i + 1] : g[go + i + 1];
            a += x * x;
            b += y * y;
        }
        if (i < n) {
            double x = adaptive ? Math.abs(w[wo + i]) * g[go + i] : g[go + i];
            a += x * x;
        }
        double scale = rho / (Math.sqrt(a + b) + 1e-12);
        for (i = 0; i < n; i++) {
            double wi = w[wo + i], e = (adaptive ? wi * wi * g[go + i] : g[go + i]) * scale;
            w[wo + i] = wi + e;
        }
    }
}
