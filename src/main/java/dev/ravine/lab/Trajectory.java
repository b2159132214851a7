package dev.ravine.lab;

import dev.ravine.UserError;
import dev.ravine.optim.GradientClipping;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's path on a 2-D test function in float64: row k is the k-th point, its value, and the function and
 * gradient evaluations spent to reach it. A first-order method spends one evaluation per step; for line-search
 * and second-order methods a step is one iteration, i.e. one accepted point.
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
        return run(f, optimizerSpec, x0, y0, steps, Double.NaN);
    }

    /**
     * As {@link #run(TestFunction, String, double, double, int)}, with each gradient clipped to the norm
     * {@code clipNorm} first ({@code clip_grad_norm_}; NaN for none, as in {@code TrainConfig}). Line-search and second-order methods choose
     * their own step lengths, so they take no clipping.
     */
    public static Trajectory run(TestFunction f, String optimizerSpec, double x0, double y0, int steps, double clipNorm) {
        boolean clip = !Double.isNaN(clipNorm);
        if (clip && !(clipNorm > 0 && clipNorm < Double.POSITIVE_INFINITY)) throw UserError.setting("clip-norm", clipNorm, "expected a positive number");
        if (Minimizers.isMinimizer(optimizerSpec)) {
            if (clip)
                throw new UserError("--clip-norm with --optimizer " + optimizerSpec + ": line-search and second-order methods choose their own steps, so they take no clipping");
            return runMinimizer(f, optimizerSpec, x0, y0, steps);
        }
        Optimizer opt = Optimizers.parse(optimizerSpec);
        Tensor p = Tensor.of(new double[] {x0, y0}, 1, 2), g = Tensor.zeros(p.dtype, 1, 2);
        double[] grad = new double[2];
        List<Point> points = new ArrayList<>(steps + 1);
        points.add(new Point(0, x0, y0, f.value(x0, y0), 0));
        for (int k = 1; k <= steps; k++) {
            f.gradient(p.get(0), p.get(1), grad);
            g.set(0, grad[0]);
            g.set(1, grad[1]);
            if (clip) GradientClipping.clipNorm(g, clipNorm);
            opt.step(p, g, opt.learningRate());
            points.add(new Point(k, p.get(0), p.get(1), f.value(p.get(0), p.get(1)), k));
        }
        return new Trajectory(optimizerSpec, points);
    }

    /**
     * A line-search or second-order method: a row per accepted point, over as many of the method's steps as it
     * takes. Once it stops moving (converged, or no descent direction left) each further step stands still, as
     * PyTorch's would: the same point, one more evaluation to find that out.
     */
    private static Trajectory runMinimizer(TestFunction f, String spec, double x0, double y0, int steps) {
        Minimizer m = Minimizers.parse(spec);
        double[] x = {x0, y0};
        List<Point> points = new ArrayList<>(steps + 1);
        points.add(new Point(0, x0, y0, f.value(x0, y0), 0));
        while (points.size() <= steps) {
            int accepted = m.step(f, x, (xk, fk, evals) -> {
                points.add(new Point(points.size(), xk[0], xk[1], f.value(xk[0], xk[1]), evals));
                return points.size() <= steps;
            });
            if (accepted == 0) points.add(new Point(points.size(), x[0], x[1], f.value(x[0], x[1]), m.evaluations()));
        }
        return new Trajectory(spec, points);
    }
}
