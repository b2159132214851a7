package dev.ravine.curvature;

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
        int n = a.dimension();
        Lanczos.Iteration it = new Lanczos.Iteration(a, start);
        for (int m = Math.min(n, 3); ; m = Math.min(n, m + 1)) {
            it.extend(m);
            Lanczos.Result r = it.result(false);
            int got = r.values().length;
            double theta = r.values()[got - 1];
            if (r.residuals()[got - 1] <= tolerance * Math.max(Math.abs(theta), 1e-300) || it.exhausted()) {
                double[] y = it.result(true).vectors()[got - 1];
                return new Result(theta, y, it.steps());
            }
        }
    }
}
