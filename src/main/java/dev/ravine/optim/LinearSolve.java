package dev.ravine.optim;

/**
 * Solves A d = b for a symmetric positive definite A given only as products v -&gt; A v, by the linear conjugate
 * gradient method (Hestenes &amp; Stiefel 1952; Nocedal &amp; Wright algorithm 5.2): exact in n iterations, and
 * usually close after far fewer. This is how Hessian-free and natural-gradient methods avoid forming A.
 */
public final class LinearSolve {
    @FunctionalInterface
    public interface Operator {
        void apply(double[] v, double[] out);
    }

    private LinearSolve() {
    }

    /** d with |A d - b| &lt;= tolerance |b|, or the best after {@code maxIter} iterations; starts from 0. */
    public static double[] conjugateGradient(Operator a, double[] b, int maxIter, double tolerance) {
        int n = b.length;
        double[] d = new double[n], r = b.clone(), p = b.clone(), ap = new double[n];
        double rr = StrongWolfe.dot(r, r), stop = tolerance * tolerance * rr;
        for (int k = 0; k < maxIter && rr > stop && rr > 0; k++) {
            a.apply(p, ap);
            double pap = StrongWolfe.dot(p, ap);
            if (!(pap > 0)) break; // not positive definite along p: keep what we have
            double alpha = rr / pap;
            for (int i = 0; i < n; i++) {
                d[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double next = StrongWolfe.dot(r, r), beta = next / rr;
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
            rr = next;
        }
        return d;
    }
}
