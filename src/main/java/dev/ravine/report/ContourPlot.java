package dev.ravine.report;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * Filled contours of values on a grid (each cell shaded by the band its value falls in, dark for low), with the
 * contour lines and paths drawn over them: optimizer trajectories, a training run.
 */
public final class ContourPlot {
    static final int LEVELS = 24;

    /** A path to draw: its label for the legend and its points. */
    public record Path2(String label, double[] xs, double[] ys) {
    }

    private ContourPlot() {
    }

    /** @param z z[i][j] is the value at (xs[i], ys[j]) */
    public static void save(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z, List<Path2> paths,
                            double[] start, Path file) {
        chart(title, xLabel, yLabel, xs, ys, z, paths, start).save(file);
    }

    /** As {@link #save}, with the function's minima marked. */
    public static void save(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z, List<Path2> paths,
                            double[] start, double[][] minima, Path file) {
        Chart chart = chart(title, xLabel, yLabel, xs, ys, z, paths, start);
        for (double[] m : minima) chart.layer(frame -> frame.marker(m[0], m[1], new Color(0xc2185b), "minimum"));
        chart.save(file);
    }

    /** The contour chart itself, to save or to inline in a report. */
    public static Chart chart(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z, List<Path2> paths,
                              double[] start) {
        double[] levels = Contours.quantileLevels(z, LEVELS);
        Chart chart = new Chart(title, xLabel, yLabel, xs[0], xs[xs.length - 1], ys[0], ys[ys.length - 1], false);
        chart.layer(frame -> { // the bands: each cell around a grid point takes its value's band
            for (int i = 0; i < xs.length; i++)
                for (int j = 0; j < ys.length; j++) {
                    int band = 0;
                    while (band < levels.length && z[i][j] > levels[band]) band++;
                    float t = (float) band / levels.length;
                    Color c = Color.getHSBColor(0.62f - 0.5f * t, 0.35f - 0.2f * t, 0.55f + 0.45f * t);
                    double x0 = i == 0 ? xs[0] : (xs[i - 1] + xs[i]) / 2, x1 = i == xs.length - 1 ? xs[i] : (xs[i] + xs[i + 1]) / 2;
                    double y0 = j == 0 ? ys[0] : (ys[j - 1] + ys[j]) / 2, y1 = j == ys.length - 1 ? ys[j] : (ys[j] + ys[j + 1]) / 2;
                    frame.fill(x0, y0, x1, y1, c);
                }
        });
        chart.layer(frame -> {
            for (int k = 0; k < levels.length; k++) {
                // dark for low values, light for high ones
                int shade = 60 + (int) (150.0 * k / Math.max(1, levels.length - 1));
                Color c = new Color(shade, shade, Math.min(255, shade + 40));
                for (Contours.Segment s : Contours.of(xs, ys, z, levels[k])) frame.line(s.x1(), s.y1(), s.x2(), s.y2(), c, 1f);
            }
        });
        for (int r = 0; r < paths.size(); r++) {
            Path2 p = paths.get(r);
            Color color = Chart.PALETTE[r % Chart.PALETTE.length];
            chart.layer(frame -> frame.polyline(p.xs(), p.ys(), color, 2f, p.xs().length <= 200));
            chart.legend(p.label(), color);
        }
        if (start != null) chart.layer(frame -> frame.marker(start[0], start[1], Color.BLACK, "start"));
        return chart;
    }
}
