package dev.ravine.optim;

import dev.ravine.tensor.Tensor;

/**
 * Lookahead (Zhang et al. 2019, "Lookahead optimizer: k steps forward, 1 step back"), around any minibatch
 * optimizer, by the rule {@code pytorch-optimizer}'s {@code Lookahead} follows with its default
 * {@code pullback_momentum='none'}: slow weights start at the initial ones; every k steps of the inner ("fast")
 * optimizer they move {@code alpha} of the way to the fast weights, and the fast weights restart from them. The
 * fast weights explore; the slow ones average their ends, damping the oscillation across a ravine's walls that a
 * large rate or momentum sets off.
 *
 * @param k     inner steps between synchronizations
 * @param alpha the slow weights' step towards the fast ones
 */
public record Lookahead(int k, double alpha) {
    public static final Lookahead DEFAULTS = new Lookahead(5, 0.5);

    public Lookahead {
        if (k < 1) throw new IllegalArgumentException("Invalid lookahead steps: " + k);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("Invalid slow update rate: " + alpha);
    }

    /** {@code k=N,alpha=X}. */
    public static Lookahead parse(String option, String text) {
        return new Spec(option, text, "lookahead", Spec.parse(option, "lookahead:" + text).values()).bind(DEFAULTS);
    }

    /** Slow weights starting at {@code params}' values. */
    public Slow start(Tensor params) {
        return new Slow(params);
    }

    /** The slow weights of one run. */
    public final class Slow {
        /** The slow weights: a checkpoint keeps them with the optimizer's state. */
        public final Tensor weights;

        Slow(Tensor params) {
            weights = Tensor.zeros(params.dtype, 1, params.size());
            params.copyTo(weights);
        }

        /**
         * After the inner optimizer's {@code steps}-th step: every k-th one the slow weights take alpha of the way to
         * {@code params}, rounded in their dtype as PyTorch's tensors round it, and {@code params} restart from them.
         */
        public void afterStep(Tensor params, long steps) {
            if (steps % k != 0) return;
            int n = params.size();
            if (params.f != null) {
                float[] w = params.f, s = weights.f;
                float a = (float) alpha;
                for (int i = 0, wo = params.offset; i < n; i++) {
                    s[i] += a * (w[wo + i] - s[i]);
                    w[wo + i] = s[i];
                }
            } else {
                double[] w = params.d, s = weights.d;
                for (int i = 0, wo = params.offset; i < n; i++) {
                    s[i] += alpha * (w[wo + i] - s[i]);
                    w[wo + i] = s[i];
                }
            }
        }
    }
}
