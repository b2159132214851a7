package dev.ravine.optim;

/** A smooth function of a parameter vector with its gradient: what line-search and second-order methods minimize. */
public interface Objective {
    int dimension();

    /** f(x), with the gradient written into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);
}
