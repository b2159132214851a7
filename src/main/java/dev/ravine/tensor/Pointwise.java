package dev.ravine.tensor;

/** An elementwise function with its first and second derivatives, each given both x and y = f(x) (an activation). */
public interface Pointwise {
    double apply(double x);

    /** f'(x), given y = f(x). */
    double derivative(double x, double y);

    /** f''(x), given y = f(x). */
    double second(double x, double y);
}
