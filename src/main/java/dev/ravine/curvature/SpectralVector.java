package dev.ravine.curvature;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A vector g written in the eigenvectors of a symmetric matrix A = V diag(lambda) V^T: A's eigenvalues and g's
 * coordinates V^T g, from which f(A) g = V f(lambda) V^T g follows for any function f of the eigenvalues (A^+ g for
 * Newton's step, |A|^-1 g for the saddle-free one) without forming V.
 *
 * <p>A is reduced to a tridiagonal T = Q^T A Q ({@link BlockedTridiagonal}, its reflectors kept), and T = Z diag(lambda)
 * Z^T by the implicit QL iteration ({@link ImplicitQl}), so V = Q Z. Q^T g is the reflectors applied in turn, and Z^T
 * (Q^T g) the iteration's rotations applied in turn as they are made, each O(1): O(n^2) for both, where forming V
 * costs O(n^3) (EJML's eigendecomposition with vectors took 100 s for n = 4,226, most of it forming Q and Z).
 * Z w needs the rotations in reverse, and there are about n^2 of them, too many to keep: the iteration's state is
 * kept every {@link #SEGMENT} rotations instead, and {@link #apply} makes each segment's rotations again from its
 * state (the same operations on the same numbers, so the same rotations) and undoes them in reverse.
 */
public final class SpectralVector {
    /** Rotations made again and kept at once when applying Z: 3 MB of them. */
    static final int SEGMENT = 1 << 17;

    private final BlockedTridiagonal reduction;
    private final double[] eigenvalues, coordinates;
    /** The iteration's state at the start of each segment, and the sweeps each segment holds. */
    private final List<ImplicitQl> starts;
    private final int[] sweeps;
    /** The most rotations a segment holds. */
    private final int longest;

    private SpectralVector(BlockedTridiagonal reduction, double[] eigenvalues, double[] coordinates, List<ImplicitQl> starts,
                           int[] sweeps, int longest) {
        this.reduction = reduction;
        this.eigenvalues = eigenvalues;
        this.coordinates = coordinates;
        this.starts = starts;
        this.sweeps = sweeps;
        this.longest = longest;
    }

    /**
     * @param symmetric A, whose lower triangle is taken as the mean of the two ({@link BlockedTridiagonal#lowerMean}); it
     *                  is not changed
     * @param g         the vector
     * @throws IllegalStateException when the matrix holds a NaN or an infinity, or the iteration does not converge
     */
    public static SpectralVector of(double[][] symmetric, double[] g) {
        return of(symmetric, g, SEGMENT);
    }

    static SpectralVector of(double[][] symmetric, double[] g, int segment) {
        int n = g.length;
        if (symmetric.length != n) throw new IllegalArgumentException("a " + symmetric.length + " x " + symmetric.length + " matrix and a vector of " + n);
        BlockedTridiagonal reduction = new BlockedTridiagonal();
        if (!reduction.decompose(BlockedTridiagonal.lowerMean(symmetric))) throw new IllegalStateException("the matrix is not finite");
        double[] diagonal = new double[n], off = new double[Math.max(0, n - 1)];
        reduction.getDiagonal(diagonal, off);
        double[] y = g.clone();
        reduction.applyQTranspose(y);
        ImplicitQl ql = new ImplicitQl(diagonal, off);
        List<ImplicitQl> starts = new ArrayList<>();
        List<Integer> sweeps = new ArrayList<>();
        int[] made = {0};
        int inSegment = 0, longest = 0;
        starts.add(ql.copy());
        while (ql.sweep((i, c, s) -> {
            ImplicitQl.rotate(y, i, c, s);
            made[0]++;
        })) {
            inSegment++;
            if (made[0] >= segment) {
                sweeps.add(inSegment);
                starts.add(ql.copy());
                longest = Math.max(longest, made[0]);
                inSegment = 0;
                made[0] = 0;
            }
        }
        if (ql.failed()) throw new IllegalStateException("the eigenvalue iteration did not converge");
        sweeps.add(inSegment);
        longest = Math.max(longest, made[0]);
        return new SpectralVector(reduction, ql.values(), y, starts, sweeps.stream().mapToInt(Integer::intValue).toArray(), longest);
    }

    /** A's eigenvalues, in no particular order. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** g's coordinates in A's eigenvectors, V^T g, at the eigenvalues' indices. */
    public double[] coordinates() {
        return coordinates.clone();
    }

    /** f(A) g = V f(lambda) V^T g: eigenvectors whose f is 0 drop out (a pseudo-inverse's cut). */
    public double[] apply(DoubleUnaryOperator f) {
        int n = eigenvalues.length;
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            double weight = f.applyAsDouble(eigenvalues[k]);
            if (weight != 0) x[k] = weight * coordinates[k];
        }
        // Z x: each segment's rotations made again from its state, then undone last first
        int[] index = new int[longest];
        double[] cs = new double[2 * longest];
        int[] count = new int[1];
        for (int seg = starts.size() - 1; seg >= 0; seg--) {
            ImplicitQl ql = starts.get(seg).copy();
            count[0] = 0;
            for (int sweep = 0; sweep < sweeps[seg]; sweep++)
                ql.sweep((i, c, s) -> {
                    int r = count[0]++;
                    index[r] = i;
                    cs[2 * r] = c;
                    cs[2 * r + 1] = s;
                });
            for (int r = count[0] - 1; r >= 0; r--) ImplicitQl.rotateBack(x, index[r], cs[2 * r], cs[2 * r + 1]);
        }
        reduction.applyQ(x);
        return x;
    }
}
