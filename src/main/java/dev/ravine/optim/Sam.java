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
        boolean single = params.f != null;
        double sum = 0;
        for (int i = 0, n = params.size(); i < n; i++) {
            double g = adaptive ? round(single, Math.abs(params.get(i)) * grads.get(i)) : grads.get(i);
            sum += g * g;
        }
        double scale = round(single, rho / (round(single, Math.sqrt(sum)) + 1e-12));
        for (int i = 0, n = params.size(); i < n; i++) {
            double w = params.get(i), g = adaptive ? round(single, round(single, w * w) * grads.get(i)) : grads.get(i);
            params.set(i, round(single, w + round(single, g * scale)));
        }
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }
}
