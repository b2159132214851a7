package dev.ravine.optim;

/** A smooth function of a parameter vector with its gradient: what line-search and second-order methods minimize. */
public interface Objective {
    int dimension();

    /** f(x), with the gradient written into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);

    /** hv = H(x) v, the Hessian times a direction; objectives without curvature information do not override it. */
    default void hessianVector(double[] x, double[] v, double[] hv) {
        throw new UnsupportedOperationException("this objective has no Hessian-vector product");
    }

    /**
     * fv = F(x) v for the objective's Fisher information matrix: {@code empirical} false gives the true Fisher (for
     * the losses here, the Gauss-Newton matrix), true the empirical Fisher, the mean of the per-example gradients'
     * outer products. Objectives without a likelihood do not override it.
     */
    default void fisherVector(double[] x, double[] v, double[] fv, boolean empirical) {
        throw new UnsupportedOperationException("this objective has no Fisher information");
    }

    /** The full Hessian at x, one column per Hessian-vector product unless the objective knows it directly. */
    default double[][] hessian(double[] x) {
        int n = dimension();
        double[][] h = new double[n][n];
        double[] e = new double[n], column = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = 1;
            hessianVector(x, e, column);
            e[j] = 0;
            for (int i = 0; i < n; i++) h[i][j] = column[i];
        }
        return h;
    }
}
