package dev.ravine.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Contour lines of a function sampled on a regular grid, by marching squares: each grid cell whose corners lie on
 * both sides of a level contributes one or two segments, with end points found by linear interpolation along
 * the cell's edges.
 */
public final class Contours {
    /** A segment from (x1, y1) to (x2, y2) in the grid's coordinates. */
    public record Segment(double x1, double y1, double x2, double y2) {
    }

    private Contours() {
    }

    /**
     * @param z z[i][j] is the value at x = xs[i], y = ys[j]
     */
    public static List<Segment> of(double[] xs, double[] ys, double[][] z, double level) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i + 1 < xs.length; i++)
            for (int j = 0; j + 1 < ys.length; j++) {
                // corners counter-clockwise from (i, j)
                double[] cx = {xs[i], xs[i + 1], xs[i + 1], xs[i]}, cy = {ys[j], ys[j], ys[j + 1], ys[j + 1]};
                double[] v = {z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]};
                boolean finite = true;
                for (double c : v) finite &= Double.isFinite(c);
                if (!finite) continue;
                List<double[]> crossings = new ArrayList<>(4);
                for (int e = 0; e < 4; e++) {
                    int a = e, b = (e + 1) % 4;
                    if ((v[a] < level) != (v[b] < level)) {
                        double t = (level - v[a]) / (v[b] - v[a]);
                        crossings.add(new double[] {cx[a] + t * (cx[b] - cx[a]), cy[a] + t * (cy[b] - cy[a])});
                    }
                }
                if (crossings.size() == 2) {
                    out.add(segment(crossings.get(0), crossings.get(1)));
                } else if (crossings.size() == 4) {
                    // a saddle cell: pair the crossings by the value at the centre
                    double centre = (v[0] + v[1] + v[2] + v[3]) / 4;
                    boolean joinFirst = (centre < level) == (v[0] < level);
                    out.add(segment(crossings.get(0), crossings.get(joinFirst ? 3 : 1)));
                    out.add(segment(crossings.get(2), crossings.get(joinFirst ? 1 : 3)));
                }
            }
        return out;
    }

    /** Levels at evenly spaced quantiles of the finite values, so steep and flat functions both get readable maps. */
    public static double[] quantileLevels(double[][] z, int count) {
        List<Double> all = new ArrayList<>();
        for (double[] row : z) for (double v : row) if (Double.isFinite(v)) all.add(v);
        if (all.isEmpty()) return new double[0];
        all.sort(null);
        double[] levels = new double[count];
        for (int k = 0; k < count; k++) levels[k] = all.get((int) Math.min(all.size() - 1, Math.floor((k + 0.5) / count * all.size())));
        return java.util.Arrays.stream(levels).distinct().toArray();
    }

    private static Segment segment(double[] a, double[] b) {
        return new Segment(a[0], a[1], b[0], b[1]);
    }
}
