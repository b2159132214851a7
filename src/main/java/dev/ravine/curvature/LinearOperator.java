package dev.ravine.curvature;

/**
 * A symmetric linear map v -&gt; A v known only through its products: the Hessian, the Gauss-Newton or Fisher
 * matrix of a network, or a test matrix. Every curvature tool here depends on this and nothing else.
 */
public interface LinearOperator {
    int dimension();

    /** out = A v. */
    void apply(double[] v, double[] out);

    /**
     * The machine epsilon of the arithmetic the products are computed in (float64's unless said otherwise): how
     * far a product can be from the exact one, relative to |A| |v|. Lanczos sizes its rounding estimates by it.
     */
    default double epsilon() {
        return Math.ulp(1.0);
    }

    /**
     * The most terms a product sums for one entry (default: the dimension, as a dense matrix's product does). A
     * product's rounding error along any direction is about {@code epsilon() sqrt(terms()) / 2} relative to |A| |v|
     * (PROPACK's estimate, with the length of the sums for n): where the operator knows its sums are shorter than its
     * dimension (a network's products sum over a layer's width or the batch's rows), Lanczos reorthogonalizes later.
     */
    default int terms() {
        return dimension();
    }

    /**
     * The operator as a dense matrix, a[i][j], assembled from the products A e_j: for small problems. The operator is
     * symmetric, so each product is written as row j, whole (as column j its entries would lie a row apart, a cache
     * miss each); rounding may leave a[i][j] and a[j][i] a few ulps apart.
     */
    default double[][] matrix() {
        int n = dimension();
        double[][] a = new double[n][n];
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = 1;
            apply(e, a[j]);
            e[j] = 0;
        }
        return a;
    }

    /** An operator of the given dimension from a product computed in float64. */
    static LinearOperator of(int dimension, java.util.function.BiConsumer<double[], double[]> product) {
        return of(dimension, Math.ulp(1.0), product);
    }

    /** An operator of the given dimension from a product computed with machine epsilon {@code epsilon}. */
    static LinearOperator of(int dimension, double epsilon, java.util.function.BiConsumer<double[], double[]> product) {
        return of(dimension, epsilon, dimension, product);
    }

    /** As {@link #of(int, double, java.util.function.BiConsumer)}, from a product whose sums have at most {@code terms} terms. */
    static LinearOperator of(int dimension, double epsilon, int terms, java.util.function.BiConsumer<double[], double[]> product) {
        if (terms < 1) throw new IllegalArgumentException("terms " + terms + " < 1");
        return new LinearOperator() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public double epsilon() {
                return epsilon;
            }

            @Override
            public int terms() {
                return terms;
            }

            @Override
            public void apply(double[] v, double[] out) {
                product.accept(v, out);
            }
        };
    }

    /** The exact Hessian of a full-batch objective at fixed weights. */
    static LinearOperator hessian(dev.ravine.train.FullBatchObjective objective, double[] weights) {
        return of(weights.length, objective.epsilon(), (v, out) -> objective.hessianVector(weights, v, out));
    }

    /** The operator of a dense symmetric matrix, for tests and small problems. */
    static LinearOperator of(double[][] a) {
        return new LinearOperator() {
            @Override
            public int dimension() {
                return a.length;
            }

            @Override
            public void apply(double[] v, double[] out) {
                for (int i = 0; i < a.length; i++) {
                    double s = 0;
                    for (int j = 0; j < v.length; j++) s += a[i][j] * v[j];
                    out[i] = s;
                }
            }
        };
    }
}
