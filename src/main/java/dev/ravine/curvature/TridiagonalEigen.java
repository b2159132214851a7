package dev.ravine.curvature;

/**
 * The eigenvalues of a symmetric tridiagonal matrix with the first and last components of each eigenvector, by the
 * implicit QL iteration ({@link ImplicitQl}), each plane rotation applied to the first and last rows of the
 * eigenvector matrix alone, as ARPACK's dstqrb does for its Ritz estimates. That is what a Lanczos convergence test
 * reads (the Ritz values, and the residuals |beta_m s_m| from the last components; stochastic Lanczos quadrature's
 * weights from the first): O(m^2) work, where the whole eigendecomposition of the m x m tridiagonal is O(m^3), once
 * per Lanczos step.
 */
final class TridiagonalEigen {
    /** Eigenvalues (in no particular order) and, at the same index, their eigenvectors' first and last components. */
    record Result(double[] values, double[] first, double[] last) {
    }

    private TridiagonalEigen() {
    }

    /**
     * @param diagonal T's diagonal (m values)
     * @param off      T's off-diagonal (m - 1 values, or more: the rest is ignored)
     * @return the decomposition, or null when the iteration did not converge
     */
    static Result of(double[] diagonal, double[] off) {
        int m = diagonal.length;
        // rows 0 and m - 1 of the eigenvector matrix Z, which starts as the identity
        double[] first = new double[m], last = new double[m];
        if (m == 0) return new Result(new double[0], first, last);
        first[0] = 1;
        last[m - 1] = 1;
        ImplicitQl ql = new ImplicitQl(diagonal, off);
        boolean converged = ql.finish((i, c, s) -> {
            ImplicitQl.rotate(first, i, c, s);
            ImplicitQl.rotate(last, i, c, s);
        });
        return converged ? new Result(ql.values(), first, last) : null;
    }
}
