package dev.ravine.curvature;

import dev.ravine.UserError;
import dev.ravine.train.Evaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss along the straight line (1 - alpha) theta_from + alpha theta_to (Goodfellow, Vinyals &amp; Saxe 2015): from
 * the initialization to the trained weights it is often smooth and monotone, evidence that the obstacles the
 * optimizer met were not on this path; alpha outside [0, 1] looks past either end.
 */
public final class Interpolation {
    public record Point(double alpha, double loss, Double accuracy, Double rmse) {
    }

    /** Alphas from a quarter before the start to a quarter past the end: the path and a look beyond either end. */
    public static final double FIRST_ALPHA = -0.25, LAST_ALPHA = 1.25;
    /** Alphas on the path by default. */
    public static final int DEFAULT_POINTS = 31;
    /** The most alphas a path is given. */
    public static final int MAX_POINTS = 100_000;

    private Interpolation() {
    }

    /** n evenly spaced alphas from {@link #FIRST_ALPHA} to {@link #LAST_ALPHA}, 2 to {@link #MAX_POINTS} of them. */
    public static double[] alphas(int n) {
        if (n < 2 || n > MAX_POINTS) throw UserError.setting("points", n, "expected 2 to " + MAX_POINTS);
        return Grid.evenly(FIRST_ALPHA, LAST_ALPHA, n);
    }

    /**
     * The loss barrier of linear mode connectivity (Frankle et al. 2020): the highest loss on the path between the two
     * ends (alpha in [0, 1]) minus the mean of the losses at alpha = 0 and alpha = 1; ~0 when the two solutions lie in
     * one linearly connected basin. The ends are evaluated when the path's alphas leave them out.
     */
    public static double barrier(ModelOnData m, double[] from, double[] to, List<Point> path) {
        double start = m.evaluateAt(from).loss(), end = m.evaluateAt(to).loss();
        double highest = Math.max(start, end);
        for (Point p : path) if (p.alpha() >= 0 && p.alpha() <= 1) highest = Math.max(highest, p.loss());
        return barrier(start, end, highest);
    }

    /** The barrier from the losses at the two ends and the highest one on the path between them (ends included). */
    public static double barrier(double start, double end, double highest) {
        return highest - (start + end) / 2;
    }

    /** The barrier of losses along a path from alpha = 0 (the first) to alpha = 1 (the last). */
    public static double barrier(double[] losses) {
        double highest = Double.NEGATIVE_INFINITY;
        for (double l : losses) highest = Math.max(highest, l);
        return barrier(losses[0], losses[losses.length - 1], highest);
    }

    /** {@code f} at (1 - alpha) from + alpha to for each of {@code alphas}: the loss alone, where no evaluation is wanted. */
    public static double[] losses(dev.ravine.optim.Objective f, double[] from, double[] to, double[] alphas) {
        double[] loss = new double[alphas.length], w = new double[from.length], g = new double[from.length];
        for (int k = 0; k < alphas.length; k++) {
            double a = alphas[k];
            for (int i = 0; i < w.length; i++) w[i] = (1 - a) * from[i] + a * to[i];
            loss[k] = f.valueAndGradient(w, g);
        }
        return loss;
    }

    public static List<Point> along(ModelOnData m, double[] from, double[] to, double[] alphas) {
        List<Point> out = new ArrayList<>(alphas.length);
        double[] w = new double[from.length];
        for (double a : alphas) {
            for (int i = 0; i < w.length; i++) w[i] = (1 - a) * from[i] + a * to[i];
            Evaluation e = m.evaluateAt(w);
            out.add(new Point(a, e.loss(), e.accuracy(), e.rmse()));
        }
        return out;
    }
}
