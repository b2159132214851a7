package dev.ravine.track;

import dev.ravine.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The measurements of instruments that measure every N optimizer steps ({@code --track NAME:steps=N}), one row per
 * step at which any of them measured: the run folder's {@code track.csv}, columns {@code step,epoch} and then the
 * instruments' own. The epoch rows of metrics.csv carry each such instrument's last measurement in that epoch.
 */
public final class TrackLog {
    /** The figures measured after optimizer step {@code step} (1 first, counted over the whole run), in {@code epoch}. */
    public record Row(long step, int epoch, Map<String, Number> figures) {
    }

    public static final String FILE = "track.csv";
    private final TreeMap<Long, Row> rows = new TreeMap<>();

    /** Adds figures measured after {@code step}; several instruments measuring at one step share its row. */
    void add(long step, int epoch, Map<String, Number> figures) {
        rows.computeIfAbsent(step, s -> new Row(s, epoch, new LinkedHashMap<>())).figures().putAll(figures);
    }

    /** Adds every row of {@code other}. */
    public void addAll(TrackLog other) {
        other.rows.values().forEach(r -> add(r.step(), r.epoch(), r.figures()));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    /** Forgets the rows after {@code epoch}: a resumed run measures them again. */
    public void keepUpTo(int epoch) {
        rows.values().removeIf(r -> r.epoch() > epoch);
    }

    /** The rows up to and including {@code epoch} as CSV, every column any row has, in first-seen order. */
    public String csv(int epoch) {
        List<Row> kept = rows.values().stream().filter(r -> r.epoch() <= epoch).toList();
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        kept.forEach(r -> columns.addAll(r.figures().keySet()));
        StringBuilder sb = new StringBuilder("step,epoch");
        columns.forEach(c -> sb.append(',').append(c));
        sb.append('\n');
        for (Row r : kept)
            sb.append(r.step()).append(',').append(r.epoch())
                    .append(columns.stream().map(c -> "," + (r.figures().containsKey(c) ? r.figures().get(c) : "")).collect(Collectors.joining()))
                    .append('\n');
        return sb.toString();
    }

    /** Reads back what {@link #csv} wrote (a run folder's track.csv, to resume); {@code source} names it in messages. */
    public static TrackLog parse(String csv, String source) {
        TrackLog log = new TrackLog();
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) return log;
        String[] header = lines.get(0).split(",", -1);
        if (header.length < 2 || !header[0].equals("step") || !header[1].equals("epoch"))
            throw new UserError(source + ":1: expected a header beginning step,epoch");
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != header.length)
                throw new UserError(source + ":" + (r + 1) + ": expected " + header.length + " fields as in the header, found " + cells.length);
            try {
                Map<String, Number> figures = new LinkedHashMap<>();
                for (int c = 2; c < header.length; c++) if (!cells[c].isEmpty()) figures.put(header[c], Double.parseDouble(cells[c]));
                log.add(Long.parseLong(cells[0]), Integer.parseInt(cells[1]), figures);
            } catch (NumberFormatException e) {
                throw new UserError(source + ":" + (r + 1) + ": not a number (" + e.getMessage() + ")");
            }
        }
        return log;
    }

    /** The columns of the instruments' figures, in first-seen order. */
    public List<String> columns() {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        rows.values().forEach(r -> columns.addAll(r.figures().keySet()));
        return new ArrayList<>(columns);
    }
}
