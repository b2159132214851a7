package dev.ravine.curvature;

/**
 * The eigenvalues of a symmetric tridiagonal matrix with the first and last components of each eigenvector, by the
 * implicit QL iteration with Wilkinson's shift (Bowdler, Martin, Reinsch &amp; Wilkinson 1968, EISPACK's tql2), each
 * plane rotation applied to the first and last rows of the eigenvector matrix alone, as ARPACK's dstqrb does for
 * its Ritz estimates. That is what a Lanczos convergence test reads (the Ritz values, and the residuals
 * |beta_m s_m| from the last components; stochastic Lanczos quadrature's weights from the first): O(m^2) work,
 * where the whole eigendecomposition of the m x m tridiagonal is O(m^3), once per Lanczos step.
 */
final class TridiagonalEigen {
    /** Eigenvalues (in no particular order) and, at the same index, their eigenvectors' first and last components. */
    record Result(double[] values, double[] first, double[] last) {
    }

    /** Sweeps allowed per eigenvalue before giving up (EISPACK allows 30; the shift usually needs two or three). */
    private static final int MAX_SWEEPS = 60;

    private TridiagonalEigen() {
    }

    /**
     * @param diagonal T's diagonal (m values)
     * @param off      T's off-diagonal (m - 1 values, or more: the rest is ignored)
     * @return the decomposition, or null when the iteration did not converge
     */
    static Result of(double[] diagonal, double[] off) {
        int m = diagonal.length;
        double[] d = diagonal.clone(), e = new double[m];
        System.arraycopy(off, 0, e, 0, Math.max(0, m - 1)); // e[i] couples i and i + 1; e[m - 1] = 0
        // rows 0 and m - 1 of the eigenvector matrix Z, which starts as the identity
        double[] first = new double[m], last = new double[m];
        if (m == 0) return new Result(d, first, last);
        first[0] = 1;
        last[m - 1] = 1;
        for (int l = 0; l < m; l++) {
            for (int sweeps = 0; ; sweeps++) {
                int k = l; // the first negligible off-diagonal entry at or after l splits off the block [l, k]
                for (; k < m - 1; k++) {
                    double dd = Math.abs(d[k]) + Math.abs(d[k + 1]);
                    if (dd + Math.abs(e[k]) == dd) break;
                }
                if (k == l) break; // d[l] is an eigenvalue
                if (sweeps == MAX_SWEEPS) return null;
                // Wilkinson's shift from the leading 2 x 2 block, then chase the bulge from k up to l
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[k] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1, c = 1, p = 0;
                int i = k - 1;
                for (; i >= l; i--) {
                    double f = s * e[i], b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) { // an underflow split the block: deflate and start the sweep again
                        d[i + 1] -= p;
                        e[k] = 0;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    rotate(first, i, c, s);
                    rotate(last, i, c, s);
                }
                if (i >= l) continue; // deflated inside the sweep
                d[l] -= p;
                e[l] = g;
                e[k] = 0;
            }
        }
        return new Result(d, first, last);
    }

    /** Columns i and i + 1 of one row of Z times the rotation [c -s; s c]. */
    private static void rotate(double[] row, int i, double c, double s) {
        double f = row[i + 1];
        row[i + 1] = s * row[i] + c * f;
        row[i] = c * row[i] - s * f;
    }
}
