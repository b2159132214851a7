package dev.ravine.track;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.Spectrum;
import dev.ravine.curvature.TopEigen;

/**
 * The top k eigenpairs that {@code subspace_overlap} finds at a moment of training (an optimizer step, or an epoch's
 * end), found once for every instrument that reads them. {@code sharpness}, measuring at the same moment on the same
 * Hessian (the same step's minibatch, or the same probe), is their largest value: the overlap's Lanczos run has
 * already converged the top pair, so the sharpness takes no products of its own there (about a tenth of the whole
 * set's cost at every step).
 */
final class SharedTop {
    private final Track overlap;
    private final Spectrum.Follower follower;
    /** The moment of {@link #top}; none yet. */
    private long moment = NONE;
    private Spectrum.Top top;

    private static final long NONE = Long.MIN_VALUE;

    SharedTop(Track overlap, int k, double tolerance) {
        this.overlap = overlap;
        this.follower = new Spectrum.Follower(k, tolerance);
    }

    /** The moment at the end of epoch {@code epoch}; an optimizer step's is its number. */
    static long epochEnd(int epoch) {
        return -1 - (long) epoch;
    }

    /** The overlap's eigenpairs of {@code hessian} at {@code moment}, found at the first call for that moment. */
    Spectrum.Top at(long moment, LinearOperator hessian) {
        if (moment != this.moment) {
            top = follower.next(hessian);
            this.moment = moment;
        }
        return top;
    }

    /**
     * lambda_max of {@code hessian} at {@code moment} to {@code own}'s tolerance: the overlap's top value where the
     * overlap measures then and its top pair's residual meets that tolerance, else {@code own}'s Lanczos run, started
     * from the overlap's top vector where there is one.
     */
    double sharpness(long moment, LinearOperator hessian, TopEigen.Follower own) {
        if (!measuresAt(moment)) return own.next(hessian);
        Spectrum.Top t = at(moment, hessian);
        own.startFrom(t.vectors()[0]);
        if (t.residuals()[0] <= own.tolerance() * Math.abs(t.values()[0])) return t.values()[0];
        return own.next(hessian);
    }

    private boolean measuresAt(long moment) {
        if (moment >= 0) return overlap.steps() > 0 && moment % overlap.steps() == 0;
        return overlap.steps() == 0 && (-1 - moment) % overlap.every() == 0;
    }
}
