package dev.ravine.optim;

import dev.ravine.tensor.Tensor;

/**
 * Gradient clipping as {@code torch.nn.utils} does it, the standard cure for exploding gradients (Pascanu et al.
 * 2013): by the global L2 norm over all parameters ({@code clip_grad_norm_}: scale by max_norm / (norm + 1e-6)
 * when that is below 1), or entrywise into [-clip_value, clip_value] ({@code clip_grad_value_}).
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Scales {@code grads} in place so that its L2 norm is at most about {@code maxNorm}; returns the norm before. */
    public static double clipNorm(Tensor grads, double maxNorm) {
        double sum = 0;
        for (int i = 0, n = grads.size(); i < n; i++) {
            double g = grads.get(i);
            sum += g * g;
        }
        double norm = Math.sqrt(sum), coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) for (int i = 0, n = grads.size(); i < n; i++) grads.set(i, grads.get(i) * coefficient);
        return norm;
    }

    /** Clamps every entry of {@code grads} into [-clipValue, clipValue]. */
    public static void clipValue(Tensor grads, double clipValue) {
        for (int i = 0, n = grads.size(); i < n; i++) grads.set(i, Math.max(-clipValue, Math.min(clipValue, grads.get(i))));
    }
}
