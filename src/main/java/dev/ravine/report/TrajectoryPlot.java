package dev.ravine.report;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import java.nio.file.Path;
import java.util.List;

/**
 * Contour lines of a 2-D test function with one or several optimizers' paths over them, a legend, the start and the
 * function's minima marked: the picture that shows
 * momentum overshooting across a ravine, Adam cutting a corner, or Newton jumping onto a saddle.
 */
public final class TrajectoryPlot {
    static final int GRID = 160;

    private TrajectoryPlot() {
    }

    public static void save(TestFunction f, List<Trajectory> runs, Path file) {
        double[] w = window(f, runs);
        double[] xs = new double[GRID], ys = new double[GRID];
        double[][] z = new double[GRID][GRID];
        for (int i = 0; i < GRID; i++) {
            xs[i] = w[0] + (w[1] - w[0]) * i / (GRID - 1);
            ys[i] = w[2] + (w[3] - w[2]) * i / (GRID - 1);
        }
        for (int i = 0; i < GRID; i++) for (int j = 0; j < GRID; j++) z[i][j] = f.value(xs[i], ys[j]);
        List<ContourPlot.Path2> paths = runs.stream().map(t -> new ContourPlot.Path2(t.optimizer,
                t.points.stream().mapToDouble(Trajectory.Point::x).toArray(), t.points.stream().mapToDouble(Trajectory.Point::y).toArray())).toList();
        Trajectory.Point start = runs.isEmpty() ? null : runs.get(0).points.get(0);
        ContourPlot.save(f.spec, "x", "y", xs, ys, z, paths, start == null ? null : new double[] {start.x(), start.y()}, f.minima(), file);
    }

    /** The function's own window, widened to take in the paths unless they run off far beyond it. */
    static double[] window(TestFunction f, List<Trajectory> runs) {
        double[] w = f.window().clone();
        double spanX = w[1] - w[0], spanY = w[3] - w[2];
        for (Trajectory t : runs)
            for (Trajectory.Point p : t.points) {
                if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) continue;
                if (p.x() < w[0] && p.x() > f.window()[0] - spanX) w[0] = p.x();
                if (p.x() > w[1] && p.x() < f.window()[1] + spanX) w[1] = p.x();
                if (p.y() < w[2] && p.y() > f.window()[2] - spanY) w[2] = p.y();
                if (p.y() > w[3] && p.y() < f.window()[3] + spanY) w[3] = p.y();
            }
        double mx = 0.03 * (w[1] - w[0]), my = 0.03 * (w[3] - w[2]);
        return new double[] {w[0] - mx, w[1] + mx, w[2] - my, w[3] + my};
    }
}
