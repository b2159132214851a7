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
        int n = grads.size(), o = grads.offset;
        double squares = grads.f == null ? squares(grads.d, o, n)
                : dev.ravine.tensor.Kernels.vector() && dev.ravine.tensor.DoubleSums.fits() ? dev.ravine.tensor.DoubleSums.squares(grads.f, o, n)
                : squares(grads.f, o, n);
        double norm = Math.sqrt(squares), coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) {
            if (grads.f != null) {
                float c = (float) coefficient;
                for (int i = o; i < o + n; i++) grads.f[i] *= c;
            } else {
                for (int i = o; i < o + n; i++) grads.d[i] *= coefficient;
            }
        }
        return norm;
    }

    /** Clamps every entry of {@code grads} into [-clipValue, clipValue]. */
    public static void clipValue(Tensor grads, double clipValue) {
        int n = grads.size(), o = grads.offset;
        if (grads.f != null) {
            float c = (float) clipValue;
            for (int i = o; i < o + n; i++) grads.f[i] = Math.max(-c, Math.min(c, grads.f[i]));
        } else {
            for (int i = o; i < o + n; i++) grads.d[i] = Math.max(-clipValue, Math.min(clipValue, grads.d[i]));
        }
    }

    /**
     * The sum of squares in double, in four interleaved partial sums: one running sum would make every addition wait
     * for the last, and the step for a quarter of a millisecond more on a network of 270,000 weights.
     */
    static double squares(float[] a, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + n;
        for (; i + 3 < end; i += 4) {
            double x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < end; i++) s0 += (double) a[i] * a[i];
        return (s0 + s1) + (s2 + s3);
    }

    static double squares(double[] a, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from, end = from + n;
        for (; i + 3 < end; i += 4) {
            s0 += a[i] * a[i];
            s1 += a[i + 1] * a[i + 1];
            s2 += a[i + 2] * a[i + 2];
            s3 += a[i + 3] * a[i + 3];
        }
        for (; i < end; i++) s0 += a[i] * a[i];
        return (s0 + s1) + (s2 + s3);
    }
}
