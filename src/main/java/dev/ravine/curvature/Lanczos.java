package dev.ravine.curvature;

import dev.ravine.tensor.VectorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Lanczos iteration (Lanczos 1950; Golub &amp; Van Loan 2013, section 10.1) with partial reorthogonalization
 * (Simon 1984): m products with A build a basis Q of the Krylov space and a tridiagonal T = Q^T A Q whose eigenvalues
 * (Ritz values) approximate A's extreme eigenvalues first. In floating point the basis loses orthogonality as Ritz
 * values converge, and spurious copies of converged eigenvalues appear; keeping every |q_i . q_j| below sqrt(eps)
 * (semi-orthogonality) is enough for T's eigenvalues to be accurate to working precision. The iteration estimates
 * those inner products by Simon's recurrence, at O(m) a step, and reorthogonalizes against the whole basis (O(m n))
 * only when an estimate passes sqrt(eps), and at the step after. On a large operator that is a few steps in several:
 * the basis is read far less often than by reorthogonalizing every step, which on a small Hessian-vector product
 * (128 rows of a 269k-parameter MLP) cost more than the products themselves. Where only the largest and smallest
 * eigenvalues are wanted, {@link Iteration#valuesOnly} keeps no basis at all, and where only the largest pair is,
 * {@link Iteration#topPair} keeps the basis without sweeping it.
 */
public final class Lanczos {
    /**
     * Ritz values ascending, their Ritz vectors (unit, in A's space; null where not asked for, or null altogether),
     * and the first components of T's eigenvectors.
     */
    public record Result(double[] values, double[][] vectors, double[] firstComponents, double[] residuals) {
    }

    private Lanczos() {
    }

    /**
     * Runs up to {@code maxSteps} steps from a random unit start (seeded), stopping early when the Krylov space is
     * exhausted. {@code withVectors} also forms the Ritz vectors.
     */
    public static Result run(LinearOperator a, int maxSteps, long seed, boolean withVectors) {
        return run(a, rademacher(a.dimension(), seed), maxSteps, withVectors);
    }

    /** Runs from the given start vector (normalized here). */
    public static Result run(LinearOperator a, double[] start, int maxSteps, boolean withVectors) {
        Iteration it = new Iteration(a, start);
        it.extend(maxSteps);
        return it.result(withVectors ? Integer.MAX_VALUE : 0);
    }

    /** A Lanczos basis that can be extended step by step and read out (Ritz values) at any point. */
    public static final class Iteration {
        private final LinearOperator a;
        private final int n;
        private final List<Double> alphas = new ArrayList<>(), betas = new ArrayList<>();
        private double[] next;
        private boolean exhausted;
        /**
         * False for an iteration that forms Ritz values only ({@link #valuesOnly}): it keeps the last three vectors
         * (in {@code basis}, by step number mod 3) and never reorthogonalizes.
         */
        private final boolean keepsBasis;
        /** False where no step reorthogonalizes against the whole basis: {@link #valuesOnly} and {@link #topPair}. */
        private final boolean reorthogonalizes;
        /**
         * The (semi-orthogonal) basis, one vector per step (grown by doubling), and scratch for the Gram-Schmidt
         * coefficients. Where the basis is kept in float32 ({@code stored}) these are the last three vectors, by step
         * number mod 3, as for {@link #valuesOnly}.
         */
        private double[][] basis = new double[0][];
        /**
         * The basis in float32, one vector per step, where an iteration reorthogonalizes and its operator's products
         * are computed in float32 (null otherwise). Each vector is rounded to float32 as it is scaled to unit length,
         * so the double copy the step works on and the float32 copy kept hold the same numbers, and the operator,
         * which rounds its input to float32 anyway, sees them too. Reorthogonalizing reads the whole basis twice, and
         * at a few dozen vectors of megabytes each the sweeps are bound by memory: half the bytes, about half their
         * time. The rounding moves a vector by float32's eps relative, well under the products' own rounding that the
         * estimates carry. ({@link #topPair} never sweeps, and its one Ritz vector gains too little to pay for the
         * rounding.)
         */
        private float[][] stored;
        private double[] coefficients = new double[0];
        /** Estimates of q_j . q_{k+1} (the last step's new vector) and of q_j . q_k, and scratch for the next row. */
        private double[] omega = {1}, omegaPrevious = new double[1], omegaNext = new double[1];
        /**
         * The rounding error of a step along one basis vector, relative to ||T||: the larger of the basis arithmetic's,
         * eps sqrt(n) / 2 for float64 dots and axpys over n entries as PROPACK takes it, and the product's own,
         * eps sqrt(terms) / 2 with the operator's eps and length of sums ({@link LinearOperator#terms}). (A float32
         * Hessian of 269k parameters on 128 rows, all its sums at most 784 long, lost orthogonality 2,500-3,000 times
         * slower than PROPACK's form with float32's eps and n estimated: it reorthogonalized at nearly every step.)
         */
        private final double roundoff;
        /**
         * Semi-orthogonality: every |q_i . q_j| below sqrt(eps), with eps the products' (Simon's bound makes T's
         * eigenvalues accurate to O(eps ||A||) then; float32 products allow no better, and the float64 level would
         * reorthogonalize at every step).
         */
        private final double semiOrthogonal;
        /** A running estimate of ||T||, the largest |alpha_k| + beta_k + beta_{k-1}: it sizes the rounding terms. */
        private double normEstimate;
        private boolean reorthogonalizeNext;
        private int reorthogonalizations;

        public Iteration(LinearOperator a, double[] start) {
            this(a, start, null);
        }

        /**
         * As {@link #Iteration(LinearOperator, double[])}, in the basis vectors of a {@code finished} iteration of the
         * same dimension (null: new ones), which must not be used again: a tracker that measures at every training
         * step then allocates nothing, where a new basis a measurement (a few megabytes) keeps the young
         * generation's collector copying the live one.
         */
        public Iteration(LinearOperator a, double[] start, Iteration finished) {
            this(a, start, finished, true, true);
        }

        /**
         * As {@link #Iteration(LinearOperator, double[], Iteration)}, for the largest Ritz pair alone: the basis is kept
         * (for the Ritz vector) but never reorthogonalized. The largest Ritz value is not misled by the lost
         * orthogonality, nor is the vector of a converged pair, and a small residual still bounds the value's error
         * (Paige 1976, 1980; see {@link #valuesOnly}). A tracker's measurement starts next to the top eigenvector, so
         * its Ritz value converges within a few steps and orthogonality is lost from then on: reorthogonalizing took
         * a fifth of a minibatch sharpness measurement (docs/performance.md).
         */
        public static Iteration topPair(LinearOperator a, double[] start, Iteration finished) {
            return new Iteration(a, start, finished, true, false);
        }

        private Iteration(LinearOperator a, double[] start, Iteration finished, boolean keepsBasis, boolean reorthogonalizes) {
            this.a = a;
            this.n = a.dimension();
            this.keepsBasis = keepsBasis;
            this.reorthogonalizes = reorthogonalizes;
            if (reorthogonalizes && a.epsilon() >= Math.ulp(1.0f)) stored = new float[0][];
            if (!keepsBasis || stored != null) basis = new double[3][];
            roundoff = 0.5 * Math.max(Math.ulp(1.0) * Math.sqrt(n), a.epsilon() * Math.sqrt(a.terms()));
            semiOrthogonal = Math.sqrt(a.epsilon());
            if (finished != null) {
                if (finished.n != n) throw new IllegalArgumentException("dimension " + finished.n + " != " + n);
                basis = finished.basis;
                finished.basis = new double[0][];
                if (stored != null && finished.stored != null) {
                    stored = finished.stored;
                    finished.stored = new float[0][];
                }
            }
            next = unit(start, 1 / norm(start), vector(0), 0);
        }

        /**
         * c v into {@code out}, returned: basis vector k. Where the basis is kept in float32 the values are rounded to
         * float32 and kept in its vector k as well.
         */
        private double[] unit(double[] v, double c, double[] out, int k) {
            if (stored == null) return scale(v, c, out);
            if (stored.length <= k) stored = Arrays.copyOf(stored, Math.max(16, 2 * (k + 1)));
            if (stored[k] == null) stored[k] = new float[n];
            VectorMath.scaleRounded(v, c, out, stored[k]);
            return out;
        }

        /**
         * Plain Lanczos for the extreme Ritz values alone: three vectors of storage whatever the number of steps, and
         * no reorthogonalization. Without it the basis loses orthogonality as the first Ritz values converge, and
         * T gains copies of them (ghosts, as {@code valuesOnlyLanczosFindsBothEndsDespiteGhosts} shows), so the k-th
         * largest Ritz value for k &gt; 1 may be a copy of the largest instead of the next eigenvalue. The largest
         * and smallest are not misled: T_m is the leading block of T_{m+1}, so they move outward monotonically
         * (Cauchy interlacing), they stay within O(eps ||A||) of A's spectrum, and a small residual |beta_m s_m|
         * still bounds their error (Paige 1976, 1980). On the Hessian of 784-256-256-10 on 1,000 rows this takes
         * the same 74 products as the kept basis and gives the same two values to 1e-14, without its 160 MB.
         */
        public static Iteration valuesOnly(LinearOperator a, long seed) {
            return valuesOnly(a, rademacher(a.dimension(), seed));
        }

        /** As {@link #valuesOnly(LinearOperator, long)}, from the given start vector (normalized here). */
        public static Iteration valuesOnly(LinearOperator a, double[] start) {
            return new Iteration(a, start, null, false, false);
        }

        /** Where basis vector k is kept in double: its own slot, or one of three reused in turn. */
        private int slot(int k) {
            return keepsBasis && stored == null ? k : k % 3;
        }

        /** The storage for basis vector k: a finished iteration's, a reused one, or new. */
        private double[] vector(int k) {
            int i = slot(k);
            return i < basis.length && basis[i] != null ? basis[i] : new double[n];
        }

        /** Random +-1 start, seeded. */
        public Iteration(LinearOperator a, long seed) {
            this(a, rademacher(a.dimension(), seed));
        }

        public int dimension() {
            return n;
        }

        public int steps() {
            return alphas.size();
        }

        /** True once the Krylov space is invariant or as large as the dimension: no further step is possible. */
        public boolean exhausted() {
            return exhausted || alphas.size() >= n;
        }

        /** Adds steps until there are {@code total} (or the space is exhausted). */
        public void extend(int total) {
            while (alphas.size() < Math.min(total, n) && !exhausted) step();
        }

        private void step() {
            int k = alphas.size();
            if (slot(k + 1) >= basis.length) basis = Arrays.copyOf(basis, Math.max(16, 2 * (k + 1)));
            if (reorthogonalizes && coefficients.length <= k) coefficients = new double[Math.max(16, 2 * (k + 1))];
            double[] q = next, w = vector(k + 1);
            basis[slot(k)] = q;
            a.apply(q, w); // out = A v overwrites w, a finished iteration's vector or a new one
            double alpha = dot(w, q);
            alphas.add(alpha);
            // w = A q - alpha q - beta q_prev, and q's component once more (local reorthogonalization: it keeps
            // q_k . q_{k+1} at rounding level, where the recurrence below starts): two passes over w
            double previousBeta = k > 0 ? betas.get(k - 1) : 0;
            double again = VectorMath.recurrence(w, alpha, q, previousBeta, k > 0 ? basis[slot(k - 1)] : q);
            double beta = Math.sqrt(VectorMath.subtractAndSquare(w, again, q));
            normEstimate = Math.max(normEstimate, Math.abs(alpha) + beta + previousBeta);
            boolean semiOrthogonal = !reorthogonalizes || estimateOrthogonality(k, alpha, beta);
            boolean full = reorthogonalizes && (reorthogonalizeNext || !semiOrthogonal);
            reorthogonalizeNext = full && !reorthogonalizeNext; // Simon: the step after a reorthogonalization takes one too
            if (full) {
                // remove every earlier direction (classical Gram-Schmidt), again while a pass cancels more than
                // 1 - 1/sqrt(2) of the norm it was given (the DGKS test, Daniel et al. 1976; "twice is enough",
                // Giraud et al. 2005); the estimates then start again from rounding level
                double before = beta;
                for (int pass = 0; pass < 3; pass++) {
                    if (stored != null) VectorMath.orthogonalize(stored, k + 1, w, coefficients);
                    else VectorMath.orthogonalize(basis, k + 1, w, coefficients);
                    beta = norm(w);
                    if (beta > before / Math.sqrt(2)) break;
                    before = beta;
                }
                Arrays.fill(omega, 0, k + 1, roundoff);
                reorthogonalizations++;
            }
            if (reorthogonalizes) omega[k + 1] = 1;
            betas.add(beta);
            if (beta <= 1e-12 * Math.max(1, Math.abs(alpha))) exhausted = true;
            else next = unit(w, 1 / beta, w, k + 1);
        }

        /**
         * Simon's recurrence for omega_j = q_j . q_{k+1} (j &lt;= k) from the two previous rows, with a rounding
         * term of the sign that makes it grow; false when one of them passes sqrt(eps), or when beta is 0 (nothing
         * to estimate). On return {@code omega} holds the new row and {@code omegaPrevious} the one before.
         */
        private boolean estimateOrthogonality(int k, double alpha, double beta) {
            if (omega.length < k + 2) {
                omega = Arrays.copyOf(omega, Math.max(16, 2 * (k + 2)));
                omegaPrevious = Arrays.copyOf(omegaPrevious, omega.length);
                omegaNext = Arrays.copyOf(omegaNext, omega.length);
            }
            double worst = beta > 0 ? 0 : Double.POSITIVE_INFINITY, noise = roundoff * normEstimate;
            for (int j = 0; j < k && beta > 0; j++) {
                // beta_k omega_{k+1,j} = beta_j omega_{k,j+1} + (alpha_j - alpha_k) omega_{k,j} + beta_{j-1} omega_{k,j-1} - beta_{k-1} omega_{k-1,j}
                double t = betas.get(j) * omega[j + 1] + (alphas.get(j) - alpha) * omega[j] - betas.get(k - 1) * omegaPrevious[j];
                if (j > 0) t += betas.get(j - 1) * omega[j - 1];
                omegaNext[j] = (t + Math.copySign(noise, t)) / beta;
                worst = Math.max(worst, Math.abs(omegaNext[j]));
            }
            omegaNext[k] = Math.max(roundoff, noise / beta); // after the local reorthogonalization
            double[] spare = omegaPrevious;
            omegaPrevious = omega;
            omega = omegaNext;
            omegaNext = spare;
            return worst <= semiOrthogonal;
        }

        /** The largest |q_i . q_j| (i != j) of the basis so far, computed: what the estimates stand for. */
        double lossOfOrthogonality() {
            if (!keepsBasis) throw new IllegalStateException("a values-only iteration keeps no basis");
            int m = alphas.size();
            double worst = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < i; j++) {
                    double d = 0;
                    if (stored != null) for (int e = 0; e < n; e++) d += (double) stored[i][e] * stored[j][e];
                    else d = dot(basis[i], basis[j]);
                    worst = Math.max(worst, Math.abs(d));
                }
            return worst;
        }

        /** How many steps reorthogonalized against the whole basis (the rest only against the last vector). */
        public int reorthogonalizations() {
            return reorthogonalizations;
        }

        /**
         * The Ritz values so far, with the Ritz vectors of the {@code topVectors} largest (0 for none). They are
         * formed together in one pass over the basis, but each costs m n multiply-adds, so a caller asks for the ones
         * it uses: all of them would cost m times one, more than the Lanczos steps themselves when m is a few dozen.
         */
        public Result result(int topVectors) {
            return result(topVectors, null);
        }

        /**
         * As {@link #result(int)}, with the i-th largest Ritz vector written into {@code into[i]} where that is an
         * array of the dimension (a tracker's last measurement's, which it no longer reads): ten vectors of 2 MB a
         * measurement otherwise keep the young generation's collector busy.
         */
        public Result result(int topVectors, double[][] into) {
            if (topVectors > 0 && !keepsBasis) throw new IllegalStateException("a values-only iteration forms no Ritz vectors");
            return ritz(stored != null ? (m, c, ys) -> VectorMath.combine(stored, m, c, ys) : (m, c, ys) -> VectorMath.combine(basis, m, c, ys),
                    n, alphas, betas, topVectors, into);
        }
    }

    /**
     * A start that leans toward {@code guess}: the unit random +-1 vector (seeded) plus the unit guess. Krylov methods
     * converge in fewer steps the larger the start's components along the wanted eigenvectors, and a random start
     * has about 1/sqrt(n) of each; a guess near some of them raises those, and the random half keeps every
     * eigenvector present whatever the guess lacks (a guess alone could span an invariant subspace and hide the
     * rest). A zero, infinite or NaN guess leaves the random start as it is.
     */
    public static double[] startToward(double[] guess, long seed) {
        int n = guess.length;
        double[] q = rademacher(n, seed);
        double g = norm(guess);
        if (!(g > 0) || Double.isInfinite(g)) return q;
        double r = 1 / Math.sqrt(n);
        for (int i = 0; i < n; i++) q[i] = q[i] * r + guess[i] / g;
        return q;
    }

    /** The random +-1 start, seeded. */
    static double[] rademacher(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] q = new double[n];
        for (int i = 0; i < n; i++) q[i] = rng.nextDouble() < 0.5 ? -1 : 1;
        return q;
    }

    /** Forms out[i] = sum over j &lt; m of c[i][j] q_j from the kept basis. */
    private interface Combination {
        void combine(int m, double[][] c, double[][] out);
    }

    private static Result ritz(Combination basis, int n, List<Double> alphas, List<Double> betas, int topVectors, double[][] into) {
        int m = alphas.size();
        if (topVectors <= 0) { // values and residuals alone, in O(m^2) where the whole decomposition is O(m^3)
            Result r = ritzValues(alphas, betas);
            if (r != null) return r;
        }
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, alphas.get(i));
            if (i + 1 < m) {
                t.set(i, i + 1, betas.get(i));
                t.set(i + 1, i, betas.get(i));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(t)) throw new IllegalStateException("eigendecomposition of the Lanczos tridiagonal failed");
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(x).getReal(), eig.getEigenvalue(y).getReal()));
        double[] values = new double[m], first = new double[m], residuals = new double[m];
        double[][] vectors = topVectors > 0 ? new double[m][] : null;
        int formed = Math.min(m, Math.max(0, topVectors));
        double[][] coefficients = new double[formed][], ys = new double[formed][];
        double lastBeta = betas.get(m - 1);
        for (int r = 0; r < m; r++) {
            DMatrixRMaj s = eig.getEigenVector(order[r]);
            values[r] = eig.getEigenvalue(order[r]).getReal();
            first[r] = s.get(0);
            residuals[r] = Math.abs(lastBeta * s.get(m - 1)); // |A y - theta y| for the Ritz pair
            if (r >= m - formed) {
                coefficients[r - (m - formed)] = Arrays.copyOf(s.getData(), m);
                int rank = m - 1 - r; // 0 for the largest
                ys[r - (m - formed)] = vectors[r] = VectorMath.reuse(into != null && rank < into.length ? into[rank] : null, n);
            }
        }
        if (formed > 0) basis.combine(m, coefficients, ys); // one pass over the basis for all of them
        for (double[] y : ys) scale(y, 1 / norm(y), y);
        return new Result(values, vectors, first, residuals);
    }

    /** The Ritz values, ascending, with first components and residuals from {@link TridiagonalEigen}; null if it failed. */
    private static Result ritzValues(List<Double> alphas, List<Double> betas) {
        int m = alphas.size();
        double[] diagonal = new double[m], off = new double[m];
        for (int i = 0; i < m; i++) {
            diagonal[i] = alphas.get(i);
            off[i] = betas.get(i);
        }
        TridiagonalEigen.Result t = TridiagonalEigen.of(diagonal, off);
        if (t == null) return null;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(t.values()[x], t.values()[y]));
        double[] values = new double[m], first = new double[m], residuals = new double[m];
        double lastBeta = betas.get(m - 1);
        for (int r = 0; r < m; r++) {
            values[r] = t.values()[order[r]];
            first[r] = t.first()[order[r]];
            residuals[r] = Math.abs(lastBeta * t.last()[order[r]]); // |A y - theta y| for the Ritz pair
        }
        return new Result(values, null, first, residuals);
    }

    static double dot(double[] a, double[] b) {
        return VectorMath.dot(a, b);
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** out = c a (out may be a), returned. */
    static double[] scale(double[] a, double c, double[] out) {
        VectorMath.scale(a, c, out);
        return out;
    }
}
