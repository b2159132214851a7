package dev.ravine.curvature;

import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;
import org.ejml.data.DMatrixRMaj;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * Householder reduction of a symmetric matrix to a tridiagonal T = Q^T A Q with the same eigenvalues, blocked as
 * LAPACK's dsytrd and dlatrd do it (Dongarra, Hammarling &amp; Sorensen 1989; Golub &amp; Van Loan 2013, section
 * 8.3): the reflectors of a panel of {@link #PANEL} columns are applied to the rest of the matrix together, as one
 * rank-2b update A -= V W^T + W V^T, which is a matrix product. EJML's reduction applies each reflector to the
 * whole trailing matrix as it is made, a rank-2 update per column, and so reads and writes the matrix n times; that
 * bound it at about 3 GFLOP/s (n = 2,410: 4.6-5.9 s, where LAPACK's dsytrd under NumPy took 0.6 s). Here each
 * column costs one symmetric matrix-vector product, which reads half the trailing matrix once, and the updates are
 * {@link Ops#matmulNT} products.
 *
 * <p>It is the first half of EJML's symmetric eigensolver, plugged in through EJML's own interface for it: the
 * implicit QR iteration on T stays EJML's. The lower triangle of the input is the matrix (it is overwritten); it is
 * held as the upper triangle of the row-major array, where LAPACK's columns below the diagonal are contiguous rows.
 * Q = H_0 H_1 ... H_{n-2} is not formed: the reflectors H_j = I - tau_j v_j v_j^T stay in the array (v_j in row j
 * past its subdiagonal, as LAPACK keeps them), and {@link #applyQ} and {@link #applyQTranspose} apply them to a vector
 * in O(n^2).
 */
final class BlockedTridiagonal implements TridiagonalSimilarDecomposition_F64<DMatrixRMaj> {
    /** Columns whose reflectors are applied to the trailing matrix together (LAPACK's default block size). */
    static final int PANEL = 32;
    /** Rows of the trailing update computed by one product: its buffer and the triangle's wasted half stay small. */
    private static final int UPDATE_ROWS = 128;
    /** Runs of rows the symmetric product is cut into, whatever the thread count. */
    private static final int CHUNKS = 4;

    private double[] diagonal = new double[0], offDiagonal = new double[0];
    /** The reduced array, holding the reflectors' vectors, and their factors tau_j. */
    private double[] reflectors = new double[0], taus = new double[0];
    /** Each run's share of a symmetric product, and its four rows' dot products. */
    private double[][] partial;
    private final double[][] dots = new double[CHUNKS][4];
    /** The matrix was divided by this before the reduction (its largest |entry|), so no square under- or overflows. */
    private double scale;
    private int n;

    /**
     * A symmetric matrix as the reduction takes it: the lower triangle the mean of the two, since a matrix assembled from
     * exact products still differs from its transpose in the last bits.
     */
    static DMatrixRMaj lowerMean(double[][] symmetric) {
        DMatrixRMaj m = new DMatrixRMaj(symmetric);
        for (int i = 0; i < m.numRows; i++)
            for (int j = 0; j < i; j++) m.set(i, j, 0.5 * (m.get(i, j) + m.get(j, i)));
        return m;
    }

    @Override
    public boolean decompose(DMatrixRMaj matrix) {
        if (matrix.numRows != matrix.numCols) throw new IllegalArgumentException("not square: " + matrix.numRows + "x" + matrix.numCols);
        n = matrix.numRows;
        double[] a = matrix.data;
        // the lower triangle, mirrored into the upper one (where the rows below are read) and scaled to |entries| <= 1
        double largest = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) largest = Math.max(largest, Math.abs(a[i * n + j]));
        scale = largest > 0 && Double.isFinite(largest) ? largest : 1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[j * n + i] = a[i * n + j] / scale;
        diagonal = new double[n];
        offDiagonal = new double[Math.max(0, n - 1)];
        reflectors = a;
        taus = new double[Math.max(0, n - 1)];
        partial = new double[CHUNKS][n];
        int b = Math.min(PANEL, Math.max(1, n - 1));
        double[][] v = new double[b][n], w = new double[b][n];
        double[] t1 = new double[b], t2 = new double[b];
        // the trailing update's operands and one block of its rows, sized for the first (largest) one
        double[] z = new double[n * 2 * b], y = new double[n * 2 * b], u = new double[Math.min(UPDATE_ROWS, n) * n];
        for (int p = 0; p < n - 1; p += b) {
            int columns = Math.min(b, n - 1 - p);
            for (int i = 0; i < columns; i++) panelColumn(a, p + i, i, v, w, t1, t2);
            trailingUpdate(a, p + columns, columns, v, w, z, y, u);
        }
        if (n > 0) diagonal[n - 1] = a[(n - 1) * n + n - 1];
        for (double x : diagonal) if (!Double.isFinite(x)) return false;
        for (double x : offDiagonal) if (!Double.isFinite(x)) return false;
        return true;
    }

    /**
     * dlatrd's step for column j, the panel's i-th: brings the column up to date with the panel's earlier reflectors,
     * makes the reflector H = I - tau v v^T that zeroes it below the subdiagonal, and w = tau (A - V W^T - W V^T) v
     * - (tau^2 / 2)(w'.v) v, so that H A H = A - v w^T - w v^T on the trailing matrix.
     */
    private void panelColumn(double[] a, int j, int i, double[][] v, double[][] w, double[] t1, double[] t2) {
        int row = j * n, length = n - j;
        for (int c = 0; c < i; c++) {
            VectorMath.axpy(-w[c][j], v[c], j, a, row + j, length);
            VectorMath.axpy(-v[c][j], w[c], j, a, row + j, length);
        }
        diagonal[j] = a[row + j];
        // the reflector of x = A(j+1:n, j): H x = beta e1 (LAPACK's dlarfg)
        int below = n - j - 1;
        double alpha = a[row + j + 1];
        double rest = Math.sqrt(VectorMath.dot(a, row + j + 2, a, row + j + 2, below - 1));
        double[] vi = v[i], wi = w[i];
        double tau;
        vi[j + 1] = 1;
        if (rest == 0) { // already zero below the subdiagonal: H = I
            tau = 0;
            offDiagonal[j] = alpha;
            java.util.Arrays.fill(vi, j + 2, n, 0);
        } else {
            double beta = -Math.copySign(Math.hypot(alpha, rest), alpha);
            tau = (beta - alpha) / beta;
            offDiagonal[j] = beta;
            double s = 1 / (alpha - beta);
            for (int r = j + 2; r < n; r++) vi[r] = a[row + r] * s;
        }
        // row j is read no more: it keeps the reflector (v_j[j + 1] = 1 is implied)
        System.arraycopy(vi, j + 2, a, row + j + 2, below - 1);
        taus[j] = tau;
        // w = A(j+1:n, j+1:n) v, the trailing matrix as it stood before this panel
        symmetricProduct(a, j + 1, vi, wi);
        // less what the panel's earlier reflectors have yet to take from it: (V W^T + W V^T) v
        for (int c = 0; c < i; c++) {
            t1[c] = VectorMath.dot(w[c], j + 1, vi, j + 1, below);
            t2[c] = VectorMath.dot(v[c], j + 1, vi, j + 1, below);
        }
        for (int c = 0; c < i; c++) {
            VectorMath.axpy(-t1[c], v[c], j + 1, wi, j + 1, below);
            VectorMath.axpy(-t2[c], w[c], j + 1, wi, j + 1, below);
        }
        for (int r = j + 1; r < n; r++) wi[r] *= tau;
        double half = -0.5 * tau * VectorMath.dot(wi, j + 1, vi, j + 1, below);
        VectorMath.axpy(half, vi, j + 1, wi, j + 1, below);
    }

    /**
     * y[from:n] = A(from:n, from:n) x[from:n] from the upper triangle's rows: {@link #CHUNKS} runs of rows holding
     * about as many stored entries each, split over the threads, each run summing into a vector of its own; the runs'
     * vectors are added in run order. The same operations on any number of threads.
     */
    private void symmetricProduct(double[] a, int from, double[] x, double[] y) {
        int m = n - from;
        int[] bounds = new int[CHUNKS + 1];
        // the first k rows hold about k m - k^2 / 2 entries, c / CHUNKS of the m^2 / 2 at k = m (1 - sqrt(1 - c / CHUNKS));
        // each run starts on a multiple of four rows
        for (int c = 0; c < CHUNKS; c++) bounds[c] = from + 4 * (int) (m * (1 - Math.sqrt(1 - (double) c / CHUNKS)) / 4);
        bounds[CHUNKS] = n;
        dev.ravine.tensor.Parallel.forRange(CHUNKS, (long) m * m, (c0, c1) -> {
            for (int c = c0; c < c1; c++) runOfRows(a, bounds[c], bounds[c + 1], x, partial[c], c);
        });
        java.util.Arrays.fill(y, from, n, 0);
        for (int c = 0; c < CHUNKS; c++) VectorMath.axpy(1, partial[c], bounds[c], y, bounds[c], n - bounds[c]);
    }

    /**
     * out[first:n] = the stored rows [first, last)'s share of A x: each row's dot product with x for its own entry,
     * each entry times x's at its row for its column's; four rows at a time, each stored entry read once.
     */
    private void runOfRows(double[] a, int first, int last, double[] x, double[] out, int chunk) {
        java.util.Arrays.fill(out, first, n, 0);
        double[] dots = this.dots[chunk];
        int r = first;
        for (; r + 4 <= last; r += 4) {
            for (int k = 0; k < 4; k++) { // the 4 x 4 block on the diagonal
                int row = (r + k) * n;
                out[r + k] += a[row + r + k] * x[r + k];
                for (int s = r + k + 1; s < r + 4; s++) {
                    out[r + k] += a[row + s] * x[s];
                    out[s] += a[row + s] * x[r + k];
                }
            }
            VectorMath.symmetricRows(a, r * n, n, x, out, r + 4, n, x[r], x[r + 1], x[r + 2], x[r + 3], dots);
            for (int k = 0; k < 4; k++) out[r + k] += dots[k];
        }
        for (; r < last; r++) {
            int row = r * n;
            out[r] += a[row + r] * x[r];
            for (int s = r + 1; s < n; s++) {
                out[r] += a[row + s] * x[s];
                out[s] += a[row + s] * x[r];
            }
        }
    }

    /**
     * A(q:n, q:n) -= V W^T + W V^T for the panel's {@code columns} reflectors: [V W] [W V]^T by blocks of rows, with
     * z, y and u the space for [V W], [W V] and a block of the product.
     */
    private void trailingUpdate(double[] a, int q, int columns, double[][] v, double[][] w, double[] z, double[] y, double[] u) {
        int m = n - q, k = 2 * columns;
        if (m <= 0) return;
        for (int t = 0; t < m; t++)
            for (int c = 0; c < columns; c++) {
                z[t * k + c] = y[t * k + columns + c] = v[c][q + t];
                z[t * k + columns + c] = y[t * k + c] = w[c][q + t];
            }
        // the arrays as flat tensors, whose views take any shape that fits
        Tensor zt = Tensor.of(z, z.length, 1), yt = Tensor.of(y, y.length, 1), ut = Tensor.of(u, u.length, 1);
        for (int t0 = 0; t0 < m; t0 += UPDATE_ROWS) {
            int rows = Math.min(UPDATE_ROWS, m - t0), width = m - t0;
            Ops.matmulNT(zt.view(t0 * k, rows, k), yt.view(t0 * k, width, k), ut.view(0, rows, width), false);
            for (int t = 0; t < rows; t++) // row q + t0 + t of the upper triangle, from its diagonal on
                VectorMath.axpy(-1, u, t * width + t, a, (q + t0 + t) * n + q + t0 + t, width - t);
        }
    }

    @Override
    public boolean inputModified() {
        return true;
    }

    /** T's diagonal and its off-diagonal, in the input's scale. */
    @Override
    public void getDiagonal(double[] diag, double[] off) {
        for (int i = 0; i < n; i++) diag[i] = diagonal[i] * scale;
        for (int i = 0; i < n - 1; i++) off[i] = offDiagonal[i] * scale;
    }

    @Override
    public DMatrixRMaj getT(DMatrixRMaj t) {
        if (t == null) t = new DMatrixRMaj(n, n);
        else t.reshape(n, n);
        t.zero();
        for (int i = 0; i < n; i++) t.set(i, i, diagonal[i] * scale);
        for (int i = 0; i < n - 1; i++) {
            t.set(i, i + 1, offDiagonal[i] * scale);
            t.set(i + 1, i, offDiagonal[i] * scale);
        }
        return t;
    }

    /** Not formed: {@link #applyQ} and {@link #applyQTranspose} apply it to vectors. */
    @Override
    public DMatrixRMaj getQ(DMatrixRMaj q, boolean transposed) {
        throw new UnsupportedOperationException("the blocked reduction does not form Q: apply it to vectors");
    }

    /** x = Q^T x = H_{n-2} ... H_0 x, the reflectors in the order they were made. */
    void applyQTranspose(double[] x) {
        for (int j = 0; j < n - 1; j++) reflect(j, x);
    }

    /** x = Q x = H_0 ... H_{n-2} x, the reflectors in reverse. */
    void applyQ(double[] x) {
        for (int j = n - 2; j >= 0; j--) reflect(j, x);
    }

    /** x = H_j x = x - tau_j (v_j . x) v_j, on the entries past j where v_j lives. */
    private void reflect(int j, double[] x) {
        if (taus[j] == 0) return;
        int row = j * n, rest = n - j - 2;
        double dot = x[j + 1] + VectorMath.dot(reflectors, row + j + 2, x, j + 2, rest);
        double f = taus[j] * dot;
        x[j + 1] -= f;
        VectorMath.axpy(-f, reflectors, row + j + 2, x, j + 2, rest);
    }
}
