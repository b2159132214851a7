package dev.ravine.curvature;

import dev.ravine.tensor.VectorMath;

/**
 * The largest eigenvalue of a symmetric operator and its eigenvector by Lanczos from a given start, stopping as soon
 * as the top Ritz pair's residual |A y - theta y| is below {@code tolerance |theta|}. Started from the previous
 * measurement's eigenvector, as a tracker does while training moves the weights a little, it converges in a few
 * products where a random start needs dozens.
 */
public final class TopEigen {
    /** The eigenvalue, its unit eigenvector and the products it took. */
    public record Result(double value, double[] vector, int products) {
    }

    private TopEigen() {
    }

    public static Result of(LinearOperator a, double[] start, double tolerance) {
        return of(a, start, tolerance, Integer.MAX_VALUE);
    }

    /**
     * As {@link #of(LinearOperator, double[], double)}, but after at most {@code products} products (2 or more) the
     * best Ritz pair so far: a tracker's budget per measurement, each one refining the last one's vector further.
     */
    public static Result of(LinearOperator a, double[] start, double tolerance, int products) {
        return of(Lanczos.Iteration.topPair(a, start, null), tolerance, products, null);
    }

    /** The search, its eigenvector written into {@code into} where that is an array of the dimension (else a new one). */
    private static Result of(Lanczos.Iteration it, double tolerance, int products, double[] into) {
        if (products < 2) throw new IllegalArgumentException("products " + products + " < 2");
        int n = it.dimension();
        products = Math.min(products, Spectrum.maxSteps(n)); // a tolerance it cannot reach ends there, not in an OutOfMemoryError
        for (int m = Math.min(n, Math.min(3, products)); ; m = Math.min(n, m + 1)) {
            it.extend(m);
            Lanczos.Result r = it.result(0);
            int got = r.values().length;
            double theta = r.values()[got - 1];
            if (r.residuals()[got - 1] <= tolerance * Math.max(Math.abs(theta), 1e-300) || it.exhausted() || it.steps() >= products) {
                double[] y = it.result(1, new double[][] {into}).vectors()[got - 1];
                return new Result(theta, y, it.steps());
            }
        }
    }

    /**
     * The top eigenvalue of an operator that moves a little between measurements (the Hessian along a training run):
     * each measurement starts from the last one's eigenvector, the first from a +-1 vector.
     */
    public static final class Follower {
        private final double tolerance;
        private final int products;
        private double[] previous;
        /** The last measurement's iteration, whose basis vectors the next one reuses. */
        private Lanczos.Iteration last;

        public Follower(double tolerance) {
            this(tolerance, Integer.MAX_VALUE);
        }

        /** At most {@code products} products a measurement (2 or more). */
        public Follower(double tolerance, int products) {
            if (products < 2) throw new IllegalArgumentException("products " + products + " < 2");
            this.tolerance = tolerance;
            this.products = products;
        }

        /** The relative residual each measurement reaches (unless its products run out first). */
        public double tolerance() {
            return tolerance;
        }

        /**
         * Takes {@code vector}, an estimate of the top eigenvector found elsewhere (a larger Lanczos run on the same
         * operator), as the next measurement's start, in place of the last one's.
         */
        public void startFrom(double[] vector) {
            previous = VectorMath.reuse(previous, vector.length);
            System.arraycopy(vector, 0, previous, 0, vector.length); // the caller's array stays its own
        }

        public double next(LinearOperator a) {
            if (previous == null) {
                previous = new double[a.dimension()];
                java.util.SplittableRandom rng = new java.util.SplittableRandom(0);
                for (int i = 0; i < previous.length; i++) previous[i] = rng.nextDouble() < 0.5 ? -1 : 1;
            }
            last = Lanczos.Iteration.topPair(a, previous, last);
            Result r = of(last, tolerance, products, previous); // the start is in the basis now: its array takes the new vector
            previous = r.vector();
            return r.value();
        }
    }
}
