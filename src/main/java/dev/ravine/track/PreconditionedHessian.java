package dev.ravine.track;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.optim.Preconditioned;
import dev.ravine.tensor.VectorMath;

/**
 * P^-1/2 H P^-1/2 for an adaptive optimizer's current diagonal preconditioner P: the symmetric operator with the
 * spectrum of P^-1 H. Its two vectors of the parameters' length (P^-1/2, in the array the optimizer writes P into, and
 * the scaled direction) are kept from one measurement to the next, where new ones each time (6 MB a measurement for
 * 269k parameters) keep the young generation's collector busy.
 */
final class PreconditionedHessian {
    private final Preconditioned optimizer;
    /** P^-1/2, and the scaled direction a product passes to H. */
    private double[] scale, scaled;

    PreconditionedHessian(Preconditioned optimizer) {
        this.optimizer = optimizer;
    }

    /** The operator for {@code h} at the optimizer's current P, valid until the next call; null before its first step. */
    LinearOperator of(LinearOperator h) {
        double[] s = optimizer.preconditioner(scale); // P, then P^-1/2 in place
        if (s == null) return null;
        for (int i = 0; i < s.length; i++) s[i] = 1 / Math.sqrt(s[i]);
        scaled = VectorMath.reuse(scaled, s.length);
        scale = s;
        double[] v2 = scaled;
        return LinearOperator.of(s.length, h.epsilon(), h.terms(), (v, out) -> {
            VectorMath.multiply(s, v, v2);
            h.apply(v2, out);
            VectorMath.multiply(s, out, out);
        });
    }
}
