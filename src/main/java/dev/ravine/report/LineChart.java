package dev.ravine.report;

import dev.ravine.data.CsvReader;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jfree.svg.SVGGraphics2D;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * An ordinary line chart drawn by XChart: labelled axes, a legend, a linear or logarithmic y axis, and a caption
 * saying what to look for. PNG comes from XChart's encoder, SVG from painting the same chart on JFreeSVG's
 * {@code Graphics2D}, headless either way. Series with no finite point are left out, so a run without a validation
 * split draws no empty "val" line.
 */
public final class LineChart {
    static final int WIDTH = 720, HEIGHT = 420;
    private final XYChart chart;
    private final String caption;
    private int series;

    public LineChart(String title, String xAxis, String yAxis, String caption) {
        chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setSeriesColors(Chart.PALETTE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setMarkerSize(5);
        s.setXAxisDecimalPattern("0.###"); // else XChart prints ticks at the data's own long decimals
        s.setYAxisDecimalPattern("0.####");
        this.caption = caption;
    }

    /** Plots y against x where both are finite; returns whether any point was. */
    public boolean add(String name, double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) if (shown(x[i], y[i])) n++;
        if (n == 0) return false;
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0, k = 0; i < x.length; i++)
            if (shown(x[i], y[i])) {
                xs[k] = x[i];
                ys[k++] = y[i];
            }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(n > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        series++;
        return true;
    }

    /** Plots y against x as unconnected points, for measurements set beside a curve; returns whether any point was finite. */
    public boolean addPoints(String name, double[] x, double[] y) {
        if (!add(name, x, y)) return false;
        XYSeries s = chart.getSeriesMap().get(name);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        s.setMarker(SeriesMarkers.CIRCLE);
        return true;
    }

    /** A logarithmic y axis, for figures that span decades (a decaying learning rate, a loss near zero). */
    public LineChart logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.#E0"); // decades: 1E-6 rather than a fixed-point 0
        return this;
    }

    /** The legend under the plot, for lines that reach the corners where it would otherwise cover them. */
    public LineChart legendBelow() {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return this;
    }

    /** A logarithmic x axis, for factors spread over decades. */
    public LineChart logX() {
        chart.getStyler().setXAxisLogarithmic(true);
        return this;
    }

    private boolean logarithmic() {
        return chart.getStyler().isYAxisLogarithmic();
    }

    /** Finite, and positive on a logarithmic axis. */
    private boolean shown(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logarithmic() || y > 0) && (!chart.getStyler().isXAxisLogarithmic() || x > 0);
    }

    /** Whether any series was added. */
    public boolean isEmpty() {
        return series == 0;
    }

    /** The points drawn, series by series in the order added, as CSV rows {@code series,x,y}. */
    public java.util.List<String> points() {
        java.util.List<String> rows = new java.util.ArrayList<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            double[] x = s.getXData(), y = s.getYData();
            for (int i = 0; i < x.length; i++) rows.add(CsvReader.quote(s.getName()) + "," + x[i] + "," + y[i]);
        }
        return rows;
    }

    public String title() {
        return chart.getTitle();
    }

    public String caption() {
        return caption;
    }

    public byte[] png() {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.paint(g, WIDTH, HEIGHT);
        return g.getSVGDocument();
    }

    /** Writes FILE.png or FILE.svg, atomically; another name, or a folder that is not there, is the user's mistake. */
    public void save(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(".svg") && !name.endsWith(".png")) throw new dev.ravine.UserError("--plot " + file + ": expected a .png or .svg file name");
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) throw new dev.ravine.UserError("--plot " + file + ": folder " + dir + " does not exist");
        try {
            dev.ravine.tensor.AtomicFiles.write(file, name.endsWith(".svg") ? svg().getBytes(StandardCharsets.UTF_8) : png());
        } catch (IOException e) {
            throw new dev.ravine.UserError("--plot " + file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /** The least positive and the largest of the finite values (1 where there are none): what a log axis would span. */
    private static double[] span(double[] values) {
        return new double[] {java.util.Arrays.stream(values).filter(v -> v > 0 && Double.isFinite(v)).min().orElse(1),
                java.util.Arrays.stream(values).filter(Double::isFinite).max().orElse(1)};
    }

    /** A learning-rate schedule over the optimizer steps, on a log axis when it spans more than a factor of 100. */
    public static LineChart schedule(String spec, double[] rates) {
        LineChart c = new LineChart(spec, "optimizer step", "learning rate", "The rate each optimizer step uses, as "
                + "torch.optim.lr_scheduler gives it when stepped once a step.");
        double[] span = span(rates);
        if (span[1] / span[0] > 100) c.logY();
        c.add("lr", java.util.stream.IntStream.range(0, rates.length).asDoubleStream().toArray(), rates);
        return c;
    }

    /** The loss along (1 - alpha) from + alpha to. */
    /**
     * A learning-rate range test: the minibatch loss and its smoothed curve against the rate on a log axis, with the
     * suggested rate (null for none) as a vertical line.
     */
    public static LineChart rangeTest(double[] lr, double[] loss, double[] smoothed, Double suggested) {
        LineChart c = new LineChart("Learning-rate range test", "learning rate", "minibatch loss",
                "Smith (2017): the loss falls once the rate is large enough to make progress and rises when it is too large; a rate "
                        + "near the steepest fall of the smoothed loss (the vertical line) trains fast and stays stable.").logX();
        c.chart.getStyler().setXAxisDecimalPattern("0.#E0"); // rates from 1E-8: fixed-point ticks would read 0
        double[] span = span(loss);
        if (span[1] / span[0] > 20) c.logY(); // the divergence at the end would flatten the rest
        c.add("loss", lr, loss);
        c.add("smoothed (beta 0.98)", lr, smoothed);
        if (suggested != null) {
            c.add("suggested " + String.format(java.util.Locale.ROOT, "%.3g", suggested), new double[] {suggested, suggested}, span);
        }
        return c;
    }

    /**
     * The reliability diagram (Guo et al. 2017): each bin's accuracy against its mean top probability, beside the
     * diagonal of perfect calibration; {@code rows} says which rows (e.g. "the validation rows").
     */
    public static LineChart reliability(double[] confidence, double[] accuracy, String rows) {
        LineChart chart = new LineChart("Reliability on " + rows, "confidence (mean top probability of a bin)", "accuracy of the bin",
                "Rows binned by the probability the model gives its prediction: below the diagonal the model is overconfident, above it "
                        + "underconfident. The expected calibration error is the gap, weighted by the bins' rows.").legendBelow();
        chart.add("perfectly calibrated", new double[] {0, 1}, new double[] {0, 1});
        chart.add("this model", confidence, accuracy);
        return chart;
    }

    public static LineChart interpolation(String title, double[] alpha, double[] loss) {
        LineChart c = new LineChart(title, "alpha ((1 - alpha) from + alpha to)", "mean loss",
                "Goodfellow et al. (2015): on many networks the loss falls steadily along the straight line from the initial weights to the "
                        + "trained ones, with no barrier between them.");
        double[] span = span(loss);
        if (span[1] / span[0] > 100) c.logY();
        c.add("loss", alpha, loss);
        return c;
    }
}
