package dev.ravine.curvature;

import dev.ravine.tensor.VectorMath;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Eigenvalues of a symmetric operator: all of them (dense), or the extremes by Lanczos. */
public final class Spectrum {
    private Spectrum() {
    }

    /** Every eigenvalue, ascending, of the operator assembled from its products A e_j: {@link #eigenvalues}. */
    public static double[] full(LinearOperator a) {
        return eigenvalues(a.matrix());
    }

    /**
     * Every eigenvalue of a symmetric matrix, ascending: reduced to a tridiagonal by {@link BlockedTridiagonal} (the
     * lower triangle the mean of the two, {@link BlockedTridiagonal#lowerMean}), whose eigenvalues EJML's implicit QR
     * iteration finds.
     */
    public static double[] eigenvalues(double[][] symmetric) {
        int n = symmetric.length;
        DMatrixRMaj m = BlockedTridiagonal.lowerMean(symmetric);
        // the reduction's products split by columns of their results, its other loops run on one thread: the same
        // operations on any number of threads, so the eigenvalues do not depend on --threads
        EigenDecomposition_F64<DMatrixRMaj> eig = new SymmetricQRAlgorithmDecomposition_DDRM(new BlockedTridiagonal(), false);
        if (!eig.decompose(m)) throw new IllegalStateException("eigendecomposition failed");
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = eig.getEigenvalue(i).getReal();
        Arrays.sort(values);
        return values;
    }

    /**
     * The k largest (descending) and k smallest (ascending) eigenvalues by Lanczos, to about {@code tolerance} when
     * {@code converged}; otherwise the best Ritz values of the largest basis allowed.
     */
    public record Extremes(double[] top, double[] bottom, int products, boolean converged) {
    }

    /**
     * Grows one Lanczos basis a step at a time (from 2k + 10 steps) until the residual |A y - theta y| of every
     * requested Ritz pair is below tolerance (relative to the largest |theta|), or the space is exhausted, or the
     * basis would pass a quarter of the heap ({@link #maxSteps}). Residuals bound the error of each Ritz value.
     * For k = 1 no basis is kept ({@link Lanczos.Iteration#valuesOnly}).
     */
    public static Extremes extremes(LinearOperator a, int k, double tolerance, long seed) {
        return extremes(a, k, tolerance, seed, maxSteps(a.dimension()));
    }

    /**
     * The most Lanczos steps whose basis (n doubles a step) fits a quarter of the heap, at least 32: beyond that a
     * run that has not converged would end in an OutOfMemoryError instead of an answer.
     */
    public static int maxSteps(int n) {
        return (int) Math.max(32, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / (8L * n)));
    }

    /** As {@link #extremes(LinearOperator, int, double, long)}, with at most {@code maxSteps} steps. */
    public static Extremes extremes(LinearOperator a, int k, double tolerance, long seed, int maxSteps) {
        return extremes(a, k, tolerance, Lanczos.rademacher(a.dimension(), seed), maxSteps);
    }

    /**
     * As {@link #extremes(LinearOperator, int, double, long)}, from the given start vector, e.g. one
     * {@link Lanczos#startToward leaning toward} a guess at the extreme eigenvectors.
     */
    public static Extremes extremes(LinearOperator a, int k, double tolerance, double[] start) {
        return extremes(a, k, tolerance, start, maxSteps(a.dimension()));
    }

    private static Extremes extremes(LinearOperator a, int k, double tolerance, double[] start, int maxSteps) {
        int n = a.dimension();
        k = Math.min(k, n);
        // the largest and smallest alone need no basis; more than one from each end need it kept free of ghosts
        Lanczos.Iteration it = k == 1 ? Lanczos.Iteration.valuesOnly(a, start) : new Lanczos.Iteration(a, start);
        // the test costs an eigendecomposition of the m x m tridiagonal, nothing beside a product with A
        for (int m = Math.min(n, Math.min(maxSteps, Math.max(2 * k + 10, 20))); ; m = Math.min(n, m + 1)) {
            it.extend(m); // the basis only grows: no product is done twice
            Lanczos.Result r = it.result(0);
            int got = r.values().length;
            double scale = Math.max(Math.abs(r.values()[0]), Math.abs(r.values()[got - 1]));
            boolean converged = true;
            for (int i = 0; i < Math.min(k, got); i++)
                converged &= r.residuals()[i] <= tolerance * Math.max(scale, 1e-300) && r.residuals()[got - 1 - i] <= tolerance * Math.max(scale, 1e-300);
            if (converged || it.exhausted() || got >= maxSteps) {
                int kk = Math.min(k, got);
                double[] top = new double[kk], bottom = new double[kk];
                for (int i = 0; i < kk; i++) {
                    top[i] = r.values()[got - 1 - i];
                    bottom[i] = r.values()[i];
                }
                return new Extremes(top, bottom, got, converged || it.exhausted());
            }
        }
    }

    /** The k largest eigenvalues (descending), their unit eigenvectors and their residuals |A y - theta y|. */
    public record Top(double[] values, double[][] vectors, double[] residuals, int products) {
    }

    /**
     * The k largest eigenpairs by Lanczos, grown until each one's residual is below {@code tolerance} relative to the
     * largest |theta| (as {@link #extremes} does for the values alone), from {@code start} (a random start when null);
     * the best so far once the basis would pass a quarter of the heap ({@link #maxSteps}).
     */
    public static Top top(LinearOperator a, int k, double tolerance, double[] start, long seed) {
        return top(a, k, tolerance, start, seed, maxSteps(a.dimension()));
    }

    /** As {@link #top(LinearOperator, int, double, double[], long)}, with at most {@code maxSteps} steps. */
    public static Top top(LinearOperator a, int k, double tolerance, double[] start, long seed, int maxSteps) {
        return top(start != null ? new Lanczos.Iteration(a, start) : new Lanczos.Iteration(a, seed), k, tolerance, maxSteps, null);
    }

    /** As {@link #top(LinearOperator, int, double, double[], long, int)}, the Ritz vectors written into {@code into}'s arrays. */
    private static Top top(Lanczos.Iteration it, int k, double tolerance, int maxSteps, double[][] into) {
        int n = it.dimension();
        k = Math.min(k, n);
        for (int m = Math.min(n, Math.min(maxSteps, k + 2)); ; m = Math.min(n, m + 1)) {
            it.extend(m);
            Lanczos.Result r = it.result(0);
            int got = r.values().length;
            double scale = Math.max(Math.abs(r.values()[0]), Math.abs(r.values()[got - 1]));
            boolean converged = got >= k;
            for (int i = 0; i < Math.min(k, got); i++) converged &= r.residuals()[got - 1 - i] <= tolerance * Math.max(scale, 1e-300);
            if (converged || it.exhausted() || got >= maxSteps) {
                Lanczos.Result full = it.result(k, into);
                int kk = Math.min(k, got);
                double[] values = new double[kk], residuals = new double[kk];
                double[][] vectors = new double[kk][];
                for (int i = 0; i < kk; i++) {
                    values[i] = full.values()[got - 1 - i];
                    vectors[i] = full.vectors()[got - 1 - i];
                    residuals[i] = full.residuals()[got - 1 - i];
                }
                return new Top(values, vectors, residuals, it.steps());
            }
        }
    }

    /**
     * The top k eigenpairs of an operator that moves a little between measurements (the Hessian along a training
     * run), each to a relative residual {@code tolerance}: each measurement starts from the sum of the last one's
     * eigenvectors, close to their span when it moved little, and builds its basis in the last one's vectors (as
     * {@link TopEigen.Follower} does: a new basis of a few dozen vectors a measurement keeps the young generation's
     * collector copying megabytes), and writes its eigenvectors into the last one's arrays; the first starts from a
     * +-1 vector. A measurement's vectors are overwritten by the next one.
     */
    public static final class Follower {
        private final int k;
        private final double tolerance;
        private double[] start;
        private Lanczos.Iteration last;
        /** The last measurement's eigenvectors, whose arrays the next one's are written into. */
        private double[][] vectors;

        public Follower(int k, double tolerance) {
            this.k = k;
            this.tolerance = tolerance;
        }

        public Top next(LinearOperator a) {
            last = start == null ? new Lanczos.Iteration(a, 0) : new Lanczos.Iteration(a, start, last);
            Top top = top(last, k, tolerance, maxSteps(a.dimension()), vectors);
            vectors = top.vectors();
            if (start == null) start = new double[a.dimension()];
            VectorMath.sum(top.vectors(), start);
            return top;
        }
    }
}
