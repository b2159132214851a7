package dev.ravine.data;

import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * CSV with a header row: every field but the target is a feature. Fields are numbers, or words where a column
 * holds mostly words: class names in the target ({@code setosa}, {@code cat}), which become the indices of the names
 * in sorted order (as scikit-learn's {@code LabelEncoder} numbers them), and categories in a feature column, which
 * become one 0/1 feature a category, in sorted order (as its {@code OneHotEncoder} makes them); see {@link
 * Vocabulary}. Anything else (a ragged row, a stray word among numbers, a class label that is not a whole number)
 * is a {@link UserError} naming the line and column, counted from 1.
 */
public final class CsvReader {
    /** Most distinct labels for {@code --task auto} to call a whole-number target a class. */
    static final int AUTO_MAX_CLASSES = 100;
    /** Most distinct categories a feature column in words may have. */
    static final int MAX_CATEGORIES = 1_000;
    /**
     * Words that mark a missing value: never a class name (a target field holding one is an error), and a missing
     * feature where missing features are filled. (Otherwise, in a feature column of words, they are a category, as
     * {@code NA} is in data that uses it for "none".)
     */
    private static final Set<String> MISSING = Set.of("na", "n/a", "nan", "null", "none", "?", "-", "missing");

    private CsvReader() {
    }

    /** The most column names an error lists: a file of images has hundreds, and the error is one line. */
    static final int LISTED_COLUMNS = 12;

    /** " (did you mean 'Price'?)" where only case differs, else the columns, the first {@link #LISTED_COLUMNS} of many. */
    static String columnsBeside(List<String> header, String wanted) {
        for (String h : header) if (h.equalsIgnoreCase(wanted)) return " (did you mean '" + h + "'?)";
        if (header.size() <= LISTED_COLUMNS) return " (columns: " + String.join(", ", header) + ")";
        return " (" + header.size() + " columns: " + String.join(", ", header.subList(0, LISTED_COLUMNS - 2)) + ", ..., "
                + header.get(header.size() - 1) + ")";
    }

    /**
     * @param target the target column's name, or null for the last column
     * @param task   null to decide: classification when the target holds few distinct whole numbers
     *               (at most 100, and at most a fifth of the rows) or words, else regression
     * @param targetRequired false when reading rows to predict, which may lack the target column
     */
    public static Dataset read(BufferedReader in, String source, String target, Task task, DType dtype, boolean targetRequired) throws IOException {
        return read(in, source, target, task, dtype, targetRequired, null, false);
    }

    /**
     * As above, with the vocabulary a run read its training data with ({@code given}, null to take the file's own):
     * the labels are read as its class names and the columns it names as its categories, in its order; a word
     * outside them, or in any other column, is an error. With {@code missing}, a missing feature reads as NaN
     * (none of the categories, in a column of them) for an {@link Imputation} to fill; otherwise it is an error.
     */
    public static Dataset read(BufferedReader in, String source, String target, Task task, DType dtype, boolean targetRequired,
                               Vocabulary given, boolean missing) throws IOException {
        String headerLine = in.readLine();
        while (headerLine != null && headerLine.isBlank()) headerLine = in.readLine();
        if (headerLine == null) throw new UserError(source + ": empty file, expected a header row of column names");
        List<String> header = split(stripBom(headerLine), source, 1);
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).isEmpty()) throw new UserError(source + ":1:" + (c + 1) + ": empty column name in the header");
            if (!seen.add(header.get(c))) throw new UserError(source + ":1:" + (c + 1) + ": column '" + header.get(c) + "' appears twice in the header");
        }
        int targetColumn = target == null ? header.size() - 1 : header.indexOf(target);
        if (targetColumn < 0) {
            if (targetRequired) throw new UserError("--target " + target + ": no such column in " + source + columnsBeside(header, target));
        }
        if (targetRequired && header.size() < 2)
            throw new UserError(source + ": needs at least one feature column besides the target"
                    + (header.get(0).matches(".*[;\t|].*") ? " (its header is the one column '" + abbreviate(header.get(0)) + "': fields are separated by commas)" : ""));
        int width = header.size();
        List<double[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>(); // blank lines are skipped, so rows and lines differ
        WordColumns words = new WordColumns(width, targetColumn, missing);
        for (int c = 0; c < width; c++) {
            boolean isTarget = c == targetColumn;
            if (given == null) words.allowed[c] = !isTarget || task != Task.REGRESSION;
            else if (isTarget ? !given.classes().isEmpty() : given.categories().containsKey(header.get(c))) words.keep(c, rows);
        }
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            double[] row = new double[width];
            int found = line.indexOf('"') < 0 ? unquotedRow(line, row, source, lineNo, header, words) : -1;
            if (found < 0) { // quoted fields: split them first
                List<String> fields = split(line, source, lineNo);
                found = fields.size();
                if (found == width) for (int c = 0; c < width; c++) row[c] = number(fields.get(c), source, lineNo, c, header.get(c), words);
            }
            if (found != width)
                throw new UserError(source + ":" + lineNo + ": expected " + width + " fields as in the header, found " + found);
            words.endRow(row, lineNo, rows);
            rows.add(row);
            lines.add(lineNo);
        }
        if (rows.isEmpty()) throw new UserError(source + ": no data rows after the header");

        Task resolved = task;
        int classes = 0;
        List<String> classNames = List.of();
        if (targetColumn >= 0 && words.holdsWords(targetColumn)) { // class names
            boolean known = given != null;
            if (!known && task == null) words.check(targetColumn, AUTO_MAX_CLASSES, rows.size(), source, header, "class names", " (--task classification reads them as classes)");
            classNames = words.encode(targetColumn, known ? given.classes() : null, rows, lines, source, header, "class");
            resolved = Task.CLASSIFICATION;
            classes = classNames.size();
        } else if (targetColumn >= 0) {
            int n = rows.size();
            double[] targets = new double[n];
            for (int i = 0; i < n; i++) targets[i] = rows.get(i)[targetColumn];
            resolved = task != null ? task : looksCategorical(targets) ? Task.CLASSIFICATION : Task.REGRESSION;
            if (resolved == Task.CLASSIFICATION) {
                for (int i = 0; i < n; i++) {
                    double t = targets[i];
                    if (t != Math.rint(t) || t < 0 || t >= 100_000)
                        throw new UserError(source + ":" + lines.get(i) + ":" + (targetColumn + 1) + ": class label " + format(t) + " in column '"
                                + header.get(targetColumn) + "' is not a whole number in [0, 100000) (use --task regression for a real-valued target)");
                    classes = Math.max(classes, (int) t + 1);
                }
            }
        }
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (int c = 0; c < width; c++) {
            if (c == targetColumn || !words.holdsWords(c)) continue;
            if (given == null) words.check(c, MAX_CATEGORIES, rows.size(), source, header, "categories", "");
            categories.put(header.get(c), words.encode(c, given == null ? null : given.categories().get(header.get(c)), rows, lines, source, header, "category"));
        }
        return assemble(source, header, targetColumn, rows, resolved, classes, new Vocabulary(classNames, categories), dtype);
    }

    /**
     * The rows as features and targets in {@code dtype} ({@code targetColumn} -1 for rows without targets); a column
     * of categories becomes one 0/1 feature a category.
     */
    private static Dataset assemble(String source, List<String> header, int targetColumn, List<double[]> rows, Task task, int classes,
                                    Vocabulary vocabulary, DType dtype) {
        int n = rows.size(), width = header.size();
        List<String> features = new ArrayList<>();
        int[] at = new int[width]; // each column's first feature
        boolean[] oneHot = new boolean[width];
        for (int c = 0; c < width; c++) {
            if (c == targetColumn) continue;
            at[c] = features.size();
            List<String> categories = vocabulary.categories().get(header.get(c));
            oneHot[c] = categories != null;
            if (categories == null) features.add(header.get(c));
            else for (String category : categories) features.add(Vocabulary.feature(header.get(c), category));
        }
        Set<String> names = new HashSet<>();
        for (String f : features)
            if (!names.add(f)) throw new UserError(source + ": two features are named '" + f + "' (a column, and a category of a column in words)");
        Tensor x = Tensor.zeros(dtype, n, features.size()), y = Tensor.zeros(dtype, n, 1);
        for (int i = 0; i < n; i++) {
            double[] row = rows.get(i);
            for (int c = 0; c < width; c++) {
                if (c == targetColumn) y.set(i, row[c]);
                else if (oneHot[c]) {
                    if (row[c] >= 0) x.set(i, at[c] + (int) row[c], 1); // a missing category: none of them
                } else x.set(i, at[c], row[c]);
            }
        }
        return new Dataset(source, features, targetColumn < 0 ? null : header.get(targetColumn), task, classes, x, y, vocabulary);
    }

    private static boolean looksCategorical(double[] t) {
        Set<Double> distinct = new HashSet<>();
        for (double v : t) {
            if (v != Math.rint(v) || v < 0) return false;
            distinct.add(v);
            if (distinct.size() > AUTO_MAX_CLASSES) return false;
        }
        return distinct.size() >= 2 && distinct.size() <= Math.max(2, t.length / 5);
    }

    /**
     * Reads a line without quotes into {@code row} as {@link #split} and {@link #number} would, without a String per
     * field: the fields between commas, trimmed, each by {@link #decimal} where it can, else by {@link #number}.
     * Returns how many fields the line has. A line of the wrong width is reported as such before any of its values,
     * as on the quoted path: the fields are counted before the first value the fast path cannot read.
     */
    private static int unquotedRow(String line, double[] row, String source, int lineNo, List<String> header, WordColumns words) {
        int n = line.length(), c = 0;
        for (int start = 0; ; c++) {
            int comma = line.indexOf(',', start), from = start, to = comma < 0 ? n : comma;
            if (c < row.length) {
                while (from < to && line.charAt(from) <= ' ') from++; // String.trim's whitespace
                while (to > from && line.charAt(to - 1) <= ' ') to--;
                double v = decimal(line, from, to);
                if (Double.isNaN(v)) {
                    int fields = c + 1;
                    for (int more = line.indexOf(',', start); more >= 0; more = line.indexOf(',', more + 1)) fields++;
                    if (fields != row.length) return fields;
                    v = number(line.substring(from, to), source, lineNo, c, header.get(c), words);
                }
                row[c] = v;
            }
            if (comma < 0) return c + 1;
            start = comma + 1;
        }
    }

    /** 10^0 .. 10^22, the powers of ten a double holds exactly. */
    private static final double[] EXACT_POWERS = new double[23];

    static {
        EXACT_POWERS[0] = 1;
        for (int i = 1; i < EXACT_POWERS.length; i++) EXACT_POWERS[i] = EXACT_POWERS[i - 1] * 10;
    }

    /**
     * s[from, to) as a plain decimal ([+-]digits[.digits][e[+-]digits]) when its value is M 10^E with M &lt; 2^53
     * and |E| &lt;= 22: one multiplication or division of two exact doubles, so rounded once, correctly, and the
     * same double Double.parseDouble gives (Clinger 1990). NaN for anything else, which the caller hands to
     * Double.parseDouble: this is the fast path for the common case, never a second grammar.
     */
    static double decimal(String s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) negative = s.charAt(i++) == '-';
        long m = 0;
        int digits = 0, exponent = 0;
        boolean any = false, point = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.' && !point) {
                point = true;
                continue;
            }
            if (c < '0' || c > '9') break;
            any = true;
            if (m == 0 && c == '0') { // a leading zero adds no digit
                if (point) exponent--;
                continue;
            }
            if (++digits > 18) return Double.NaN;
            m = m * 10 + (c - '0');
            if (point) exponent--;
        }
        if (!any) return Double.NaN;
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            boolean down = false;
            if (++i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) down = s.charAt(i++) == '-';
            if (i >= to) return Double.NaN;
            int e = 0;
            for (; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || e > 1000) return Double.NaN;
                e = e * 10 + (c - '0');
            }
            exponent += down ? -e : e;
        }
        if (i != to || m >= 1L << 53) return Double.NaN;
        double v = m;
        if (m != 0 && exponent != 0) {
            if (Math.abs(exponent) >= EXACT_POWERS.length) return Double.NaN;
            v = exponent > 0 ? v * EXACT_POWERS[exponent] : v / EXACT_POWERS[-exponent];
        }
        return negative ? -v : v;
    }

    /**
     * A field's number. A missing feature, where {@code words} lets them through, is NaN; a field that is no number
     * (nor, in the target, a mark of a missing label) is a word where its column allows words: left in {@code words}
     * with NaN in its place.
     */
    private static double number(String field, String source, int line, int column, String name, WordColumns words) {
        if (words.missingAllowed(column) && (field.isEmpty() || MISSING.contains(field.toLowerCase(Locale.ROOT)))) return Double.NaN;
        if (field.isEmpty()) throw new UserError(where(source, line, column) + "empty value in column '" + name + "'");
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            if (!words.allowed[column] || column == words.target && MISSING.contains(field.toLowerCase(Locale.ROOT)))
                throw new UserError(where(source, line, column) + "'" + abbreviate(field) + "' in column '" + name + "' is not a number");
            words.row[column] = field;
            words.rowHasWords = true;
            return Double.NaN;
        }
        if (!Double.isFinite(v) || field.endsWith("d") || field.endsWith("D") || field.endsWith("f") || field.endsWith("F"))
            throw new UserError(where(source, line, column) + "'" + abbreviate(field) + "' in column '" + name + "' is not a finite number");
        return v;
    }

    static String where(String source, int line, int column) {
        return source + ":" + line + ":" + (column + 1) + ": ";
    }

    /** A field as {@link #split} reads it back: in double quotes (doubled inside) when it holds a comma, a quote or a line break. */
    public static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /**
     * Splits a line into fields as RFC 4180 quotes them: commas separate fields, a field in double quotes may hold
     * commas and doubled quotes ({@code ""} for one), and spaces around a field are trimmed. A quote that is never
     * closed on its line, or text after a closing quote, is an error naming the line and column.
     */
    public static List<String> split(String line, String source, int lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') i++;
            int column = out.size() + 1;
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                int open = i++;
                while (true) {
                    if (i >= n)
                        throw new UserError(source + ":" + lineNo + ":" + column + ": the quote opened at character " + (open + 1)
                                + " is not closed on this line");
                    char c = line.charAt(i++);
                    if (c != '"') field.append(c);
                    else if (i < n && line.charAt(i) == '"') field.append(line.charAt(i++));
                    else break;
                }
                while (i < n && line.charAt(i) == ' ') i++;
                if (i < n && line.charAt(i) != ',')
                    throw new UserError(source + ":" + lineNo + ":" + column + ": text after the closing quote of a quoted field");
                out.add(field.toString().trim());
            } else {
                int comma = line.indexOf(',', i);
                int stop = comma < 0 ? n : comma;
                out.add(line.substring(i, stop).trim());
                i = stop;
            }
            if (i >= n) return out;
            i++; // the comma
            if (i == n) {
                out.add(""); // a trailing comma ends with an empty field
                return out;
            }
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /** A number as text: a whole number without a decimal point. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
