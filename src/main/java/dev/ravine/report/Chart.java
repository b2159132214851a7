package dev.ravine.report;

import dev.ravine.UserError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.jfree.svg.SVGGraphics2D;

/**
 * A plain 2-D chart (axes, ticks, title, legend) drawn on any {@link Graphics2D}, so the same drawing gives a PNG
 * (through Java2D) and an SVG (through JFreeSVG). Layers are added as drawing callbacks in data coordinates.
 */
public final class Chart {
    static final Color[] PALETTE = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int WIDTH = 800, HEIGHT = 640, LEFT = 80, RIGHT = 30, TOP = 50, BOTTOM = 60;

    /** Maps data coordinates to the plot area. */
    public final class Frame {
        final Graphics2D g;

        Frame(Graphics2D g) {
            this.g = g;
        }

        public double px(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        public double py(double y) {
            double t = logY ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin)) : (y - yMin) / (yMax - yMin);
            return HEIGHT - BOTTOM - t * (HEIGHT - TOP - BOTTOM);
        }

        public void line(double x1, double y1, double x2, double y2, Color color, float width) {
            g.setColor(color);
            g.setStroke(new BasicStroke(width));
            g.draw(new Line2D.Double(px(x1), py(y1), px(x2), py(y2)));
        }

        public void polyline(double[] xs, double[] ys, Color color, float width, boolean dots) {
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i]) || (logY && ys[i] <= 0)) {
                    started = false;
                    continue;
                }
                double x = px(xs[i]), y = py(ys[i]);
                if (Math.abs(x) > 1e6 || Math.abs(y) > 1e6) { // far outside: stop the line rather than overflow
                    started = false;
                    continue;
                }
                if (started) path.lineTo(x, y);
                else path.moveTo(x, y);
                started = true;
            }
            g.setColor(color);
            g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            if (dots)
                for (int i = 0; i < xs.length; i++)
                    if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && Math.abs(px(xs[i])) < 1e6 && Math.abs(py(ys[i])) < 1e6)
                        g.fill(new Ellipse2D.Double(px(xs[i]) - 2, py(ys[i]) - 2, 4, 4));
        }

        /** A filled rectangle between two corners in data coordinates. */
        public void fill(double x1, double y1, double x2, double y2, Color color) {
            double a = px(Math.min(x1, x2)), b = py(Math.max(y1, y2));
            Object hint = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF); // no seams between cells
            g.setColor(color);
            g.fill(new Rectangle2D.Double(a, b, px(Math.max(x1, x2)) - a, py(Math.min(y1, y2)) - b));
            if (hint != null) g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, hint);
        }

        public void marker(double x, double y, Color color, String label) {
            g.setColor(color);
            g.fill(new Ellipse2D.Double(px(x) - 5, py(y) - 5, 10, 10));
            if (label != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString(label, (float) px(x) + 8, (float) py(y) - 8);
            }
        }
    }

    private final String title, xLabel, yLabel;
    private double xMin, xMax, yMin, yMax;
    private final boolean logY;
    private final List<Consumer<Frame>> layers = new ArrayList<>();
    private final List<String> legend = new ArrayList<>();
    private final List<Color> legendColors = new ArrayList<>();

    public Chart(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin, double yMax, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xMin = xMin;
        this.xMax = xMax == xMin ? xMin + 1 : xMax;
        this.yMin = yMin;
        this.yMax = yMax == yMin ? yMin + (logY ? yMin : 1) : yMax;
        this.logY = logY;
    }

    public Chart layer(Consumer<Frame> drawing) {
        layers.add(drawing);
        return this;
    }

    public Chart legend(String label, Color color) {
        legend.add(label);
        legendColors.add(color);
        return this;
    }

    /** The chart as PNG bytes. */
    public byte[] png() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        draw(g);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The chart as an SVG document. */
    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        draw(g);
        return g.getSVGDocument();
    }

    /** Writes the chart as PNG or SVG, by the file's extension, whole or not at all. */
    public void save(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            byte[] bytes;
            if (name.endsWith(".svg")) {
                bytes = svg().getBytes(StandardCharsets.UTF_8);
            } else if (name.endsWith(".png")) {
                bytes = png();
            } else {
                throw new UserError("--plot " + file + ": expected a .png or .svg file name");
            }
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || !java.nio.file.Files.isDirectory(dir)) throw new UserError("--plot " + file + ": folder " + dir + " does not exist");
            dev.ravine.tensor.AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UserError("--plot " + file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Rectangle2D area = new Rectangle2D.Double(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        Frame frame = new Frame(g);
        var clip = g.getClip();
        g.clip(area);
        for (Consumer<Frame> layer : layers) layer.accept(frame);
        g.setClip(clip);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.draw(area);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double t : ticks(xMin, xMax)) {
            double x = frame.px(t);
            g.draw(new Line2D.Double(x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5));
            String s = format(t);
            g.drawString(s, (float) (x - g.getFontMetrics().stringWidth(s) / 2.0), HEIGHT - BOTTOM + 20);
        }
        double[] yTicks = logY ? logTicks(yMin, yMax) : ticks(yMin, yMax);
        for (double t : yTicks) {
            double y = frame.py(t);
            g.draw(new Line2D.Double(LEFT - 5, y, LEFT, y));
            String s = format(t);
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), (float) y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, (float) (WIDTH / 2.0 - g.getFontMetrics().stringWidth(title) / 2.0), TOP - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, (float) (LEFT + (WIDTH - LEFT - RIGHT) / 2.0 - g.getFontMetrics().stringWidth(xLabel) / 2.0), HEIGHT - 15);
        var transform = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, (float) -(TOP + (HEIGHT - TOP - BOTTOM) / 2.0 + g.getFontMetrics().stringWidth(yLabel) / 2.0), 20);
        g.setTransform(transform);
        if (!legend.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int w = legend.stream().mapToInt(s -> g.getFontMetrics().stringWidth(s)).max().orElse(0) + 34, h = 18 * legend.size() + 8;
            int x0 = WIDTH - RIGHT - w - 8, y0 = TOP + 8;
            g.setColor(new Color(255, 255, 255, 225));
            g.fillRect(x0, y0, w, h);
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, w, h);
            for (int i = 0; i < legend.size(); i++) {
                g.setColor(legendColors.get(i));
                g.setStroke(new BasicStroke(3));
                g.drawLine(x0 + 6, y0 + 15 + 18 * i, x0 + 24, y0 + 15 + 18 * i);
                g.setColor(Color.BLACK);
                g.drawString(legend.get(i), x0 + 30, y0 + 19 + 18 * i);
            }
        }
    }

    /** About six round tick values across [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6, magnitude = Math.pow(10, Math.floor(Math.log10(raw))), step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) if (m * magnitude >= raw) { step = m * magnitude; break; }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] logTicks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        for (double p = Math.ceil(Math.log10(lo)); p <= Math.floor(Math.log10(hi)); p++) out.add(Math.pow(10, p));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String format(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.0e", v) : String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
    }
}
