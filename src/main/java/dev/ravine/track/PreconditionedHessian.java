package dev.ravine.track;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.optim.Preconditioned;
import dev.ravine.tensor.VectorMath;

/**
 * P^-1/2 H P^-1/2 for an adaptive optimizer's current diagonal preconditioner P: the symmetric operator with the
 * spectrum of P^-1 H. Its two vectors of the parameters' length are kept from one measurement to the next, where
 * new ones each time (4 MB at every step for 269k parameters) keep the young generation's collector busy.
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
        double[] p = optimizer.preconditioner(scale);
        if (p == null) return null;
        scale = p;
        for (int i = 0; i < p.length; i++) scale[i] = 1 / Math.sqrt(p[i]);
        if (scaled == null || scaled.length != p.length) scaled = new double[p.length];
        double[] s = scale, v2 = scaled;
        return LinearOperator.of(p.length, h.epsilon(), h.terms(), (v, out) -> {
            VectorMath.multiply(s, v, v2);
            h.apply(v2, out);
            VectorMath.multiply(s, out, out);
        });
    }
}
