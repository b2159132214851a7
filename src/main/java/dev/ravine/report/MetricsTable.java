package dev.ravine.report;

import dev.ravine.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's {@code metrics.csv} as columns of numbers, NaN where an epoch has no figure (eig_max every K epochs). */
public final class MetricsTable {
    private final Map<String, double[]> columns;
    private final int rows;

    private MetricsTable(Map<String, double[]> columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public static MetricsTable read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The text of a metrics.csv; {@code source} names it in messages. */
    public static MetricsTable parse(String csv, String source) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new UserError(source + ": empty metrics file, expected a header row");
        String[] header = lines.get(0).split(",", -1);
        int n = lines.size() - 1;
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String h : header) columns.put(h, new double[n]);
        for (int r = 0; r < n; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            if (cells.length != header.length)
                throw new UserError(source + ":" + (r + 2) + ": expected " + header.length + " fields as in the header, found " + cells.length);
            for (int c = 0; c < header.length; c++) {
                double v = Double.NaN;
                if (!cells[c].isEmpty()) {
                    try {
                        v = Double.parseDouble(cells[c]);
                    } catch (NumberFormatException e) {
                        throw new UserError(source + ":" + (r + 2) + ":" + (c + 1) + ": '" + cells[c] + "' in column '" + header[c] + "' is not a number");
                    }
                }
                columns.get(header[c])[r] = v;
            }
        }
        return new MetricsTable(columns, n);
    }

    public int rows() {
        return rows;
    }

    public boolean has(String column) {
        double[] v = columns.get(column);
        if (v == null) return false;
        for (double d : v) if (Double.isFinite(d)) return true;
        return false;
    }

    /** The column, or NaNs when the run has no such figure. */
    public double[] column(String name) {
        double[] v = columns.get(name);
        return v == null ? java.util.Arrays.stream(new double[rows]).map(d -> Double.NaN).toArray() : v;
    }

    /** Column names starting with {@code prefix} (grad_norm_0, grad_norm_1, ...). */
    public List<String> columnsStartingWith(String prefix) {
        return columns.keySet().stream().filter(c -> c.startsWith(prefix)).toList();
    }

    /** Seconds of training at the end of each epoch: the running sum of the epochs' seconds. */
    public double[] wallTime() {
        double[] s = column("seconds"), out = new double[rows];
        double sum = 0;
        for (int i = 0; i < rows; i++) out[i] = sum += Double.isFinite(s[i]) ? s[i] : 0;
        return out;
    }

    /** The row with the lowest finite value of {@code column}, or -1. */
    public int argmin(String column) {
        double[] v = column(column);
        int best = -1;
        for (int i = 0; i < rows; i++) if (Double.isFinite(v[i]) && (best < 0 || v[i] < v[best])) best = i;
        return best;
    }
}
