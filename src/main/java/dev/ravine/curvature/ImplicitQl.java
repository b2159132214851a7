package dev.ravine.curvature;

/**
 * The implicit QL iteration with Wilkinson's shift on a symmetric tridiagonal matrix (Bowdler, Martin, Reinsch &amp;
 * Wilkinson 1968, EISPACK's tql2), one sweep at a time. Each sweep is a sequence of plane rotations, handed to the
 * caller, whose product over the whole iteration is the eigenvector matrix Z: T = Z diag(d) Z^T. A caller applies
 * them to what it needs of Z (a row or two, or one vector's coordinates) instead of forming Z, which costs O(m^3).
 *
 * <p>The state between sweeps is a copy of d and e ({@link #copy}), so the rotations can be made again from any
 * point: the iteration is the same operations on the same numbers, so the same rotations to the bit.
 */
final class ImplicitQl {
    /** Receives the rotations in the order they are made: Z's columns i and i + 1 times [c s; -s c]. */
    interface Rotations {
        void rotate(int i, double c, double s);
    }

    /** Sweeps allowed per eigenvalue before giving up (EISPACK allows 30; the shift usually needs two or three). */
    private static final int MAX_SWEEPS = 60;

    private final double[] d, e;
    /**
     * An off-diagonal entry below this is negligible however small its diagonal neighbours: half an ulp of T's norm
     * (max over rows of |d_i| + |e_{i-1}| + |e_i|), as EISPACK's tql2 tests it. The local test alone (negligible
     * beside its neighbours) cannot be met by tiny eigenvalues in a block with large ones, whose rounding errors of
     * eps ||T|| reach them in every sweep: a Hessian's near-zero eigenvalues beside ones 10^14 times larger never
     * converged by it.
     */
    private final double negligible;
    /** The eigenvalues before l have converged; l's has had this many sweeps. */
    private int l, sweeps;
    private boolean failed;

    /**
     * @param diagonal T's diagonal (m values)
     * @param off      T's off-diagonal (m - 1 values, or more: the rest is ignored)
     */
    ImplicitQl(double[] diagonal, double[] off) {
        int m = diagonal.length;
        d = diagonal.clone();
        e = new double[m];
        System.arraycopy(off, 0, e, 0, Math.max(0, m - 1)); // e[i] couples i and i + 1; e[m - 1] = 0
        double norm = 0;
        for (int i = 0; i < m; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
        negligible = 0x1p-53 * norm;
    }

    private ImplicitQl(ImplicitQl state) {
        d = state.d.clone();
        e = state.e.clone();
        negligible = state.negligible;
        l = state.l;
        sweeps = state.sweeps;
        failed = state.failed;
    }

    /** The iteration as it stands, to be continued apart from this one. */
    ImplicitQl copy() {
        return new ImplicitQl(this);
    }

    /**
     * Makes the next sweep's rotations.
     *
     * @return false when there is none: every eigenvalue has converged, or the iteration {@link #failed}
     */
    boolean sweep(Rotations rotations) {
        int m = d.length;
        while (l < m) {
            int k = l; // the first negligible off-diagonal entry at or after l splits off the block [l, k]
            for (; k < m - 1; k++) {
                double dd = Math.abs(d[k]) + Math.abs(d[k + 1]);
                if (dd + Math.abs(e[k]) == dd || Math.abs(e[k]) <= negligible) break;
            }
            if (k == l) { // d[l] is an eigenvalue
                l++;
                sweeps = 0;
                continue;
            }
            if (sweeps == MAX_SWEEPS) {
                failed = true;
                return false;
            }
            sweeps++;
            // Wilkinson's shift from the leading 2 x 2 block, then chase the bulge from k up to l
            double g = (d[l + 1] - d[l]) / (2 * e[l]);
            double r = Math.hypot(g, 1);
            g = d[k] - d[l] + e[l] / (g + Math.copySign(r, g));
            double s = 1, c = 1, p = 0;
            for (int i = k - 1; i >= l; i--) {
                double f = s * e[i], b = c * e[i];
                r = Math.hypot(f, g);
                e[i + 1] = r;
                if (r == 0) { // an underflow split the block: deflate, and the next sweep starts again
                    d[i + 1] -= p;
                    e[k] = 0;
                    return true;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                rotations.rotate(i, c, s);
            }
            d[l] -= p;
            e[l] = g;
            e[k] = 0;
            return true;
        }
        return false;
    }

    /** Runs the sweeps to the end; false if the iteration failed. */
    boolean finish(Rotations rotations) {
        while (sweep(rotations)) {
        }
        return !failed;
    }

    /** True when an eigenvalue took more than {@link #MAX_SWEEPS} sweeps, so the iteration stopped unconverged. */
    boolean failed() {
        return failed;
    }

    /** The diagonal as it stands: the eigenvalues, in no particular order, once the sweeps have ended. */
    double[] values() {
        return d.clone();
    }

    /** A row of Z (or a vector's coordinates, z^T Z) times one rotation: columns i and i + 1 by [c s; -s c]. */
    static void rotate(double[] row, int i, double c, double s) {
        double f = row[i + 1];
        row[i + 1] = s * row[i] + c * f;
        row[i] = c * row[i] - s * f;
    }

    /** The same row times the rotation's transpose, which undoes {@link #rotate}. */
    static void rotateBack(double[] row, int i, double c, double s) {
        double f = row[i + 1];
        row[i + 1] = c * f - s * row[i];
        row[i] = c * row[i] + s * f;
    }
}
