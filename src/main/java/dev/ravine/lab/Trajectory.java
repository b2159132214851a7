package dev.ravine.lab;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's path on a 2-D test function in float64: row k is the k-th point, its value, and the function and
 * gradient evaluations spent to reach it. A first-order method spends one evaluation per step.
 */
public final class Trajectory {
    public record Point(int step, double x, double y, double f, long evals) {
    }

    public final String optimizer;
    public final List<Point> points;

    private Trajectory(String optimizer, List<Point> points) {
        this.optimizer = optimizer;
        this.points = List.copyOf(points);
    }

    public static Trajectory run(TestFunction f, String optimizerSpec, double x0, double y0, int steps) {
        Optimizer opt = Optimizers.parse(optimizerSpec);
        Tensor p = Tensor.of(new double[] {x0, y0}, 1, 2), g = Tensor.zeros(p.dtype, 1, 2);
        double[] grad = new double[2];
        List<Point> points = new ArrayList<>(steps + 1);
        points.add(new Point(0, x0, y0, f.value(x0, y0), 0));
        for (int k = 1; k <= steps; k++) {
            f.gradient(p.get(0), p.get(1), grad);
            g.set(0, grad[0]);
            g.set(1, grad[1]);
            opt.step(p, g, opt.learningRate());
            points.add(new Point(k, p.get(0), p.get(1), f.value(p.get(0), p.get(1)), k));
        }
        return new Trajectory(optimizerSpec, points);
    }
}
