package dev.ravine.data;

import static dev.ravine.data.CsvReader.abbreviate;
import static dev.ravine.data.CsvReader.format;
import static dev.ravine.data.CsvReader.where;

import dev.ravine.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The columns of a CSV file that hold words, as {@link CsvReader} reads it row by row. A field that is no number is a
 * word where its column allows them: a category in a feature column, a class name in the target where the task may
 * be classification. From a column's first word on, all its fields are kept as text, the earlier ones (and any later
 * number) written back from their values; at the end each word is replaced by its index.
 */
final class WordColumns {
    final boolean[] allowed;
    final int target;
    /** Whether a missing feature (an empty field, or a mark of a missing value) reads as NaN, to be filled later. */
    final boolean missing;
    final String[] row; // this row's words, null where a field was a number
    boolean rowHasWords;
    private final List<String>[] texts; // each column's fields as text, once it holds a word
    private final String[] first;
    private final int[] firstLine;
    private final List<Integer> kept = new ArrayList<>();

    @SuppressWarnings("unchecked")
    WordColumns(int width, int target, boolean missing) {
        this.target = target;
        this.missing = missing;
        allowed = new boolean[width];
        row = new String[width];
        texts = new List[width];
        first = new String[width];
        firstLine = new int[width];
    }

    /** Whether column {@code c} holds words. */
    boolean holdsWords(int c) {
        return texts[c] != null;
    }

    /** Reads column {@code c} as words from now on, with the {@code rows} read so far. */
    void keep(int c, List<double[]> rows) {
        allowed[c] = true;
        texts[c] = new ArrayList<>();
        for (double[] r : rows) texts[c].add(text(r[c]));
        kept.add(c);
    }

    /** Takes this row's words, and the texts of its numbers in the columns of words. */
    void endRow(double[] values, int lineNo, List<double[]> rows) {
        if (rowHasWords)
            for (int c = 0; c < row.length; c++)
                if (row[c] != null && first[c] == null) {
                    first[c] = row[c];
                    firstLine[c] = lineNo;
                    if (texts[c] == null) keep(c, rows);
                }
        for (int c : kept) texts[c].add(row[c] != null ? row[c] : text(values[c]));
        if (rowHasWords) {
            Arrays.fill(row, null);
            rowHasWords = false;
        }
    }

    /** A number as a word, or null where the value is missing (NaN). */
    private static String text(double value) {
        return Double.isNaN(value) ? null : format(value);
    }

    /** Whether column {@code c} reads a missing value as NaN: a feature, where missing values are filled. */
    boolean missingAllowed(int c) {
        return missing && c != target;
    }

    /**
     * Refuses to read column {@code c} as names or categories where its words look like a mistake: where there is one
     * word alone (a stray word, or a column that says nothing) or they are no more of its distinct values than numbers
     * are (a column of numbers with stray words), or where they are too many (over {@code most}, or over half the rows:
     * names or identifiers, one a row; below ten, any number is few enough).
     */
    void check(int c, int most, int rows, String source, List<String> header, String what, String hint) {
        Set<String> distinct = new HashSet<>(texts[c]);
        distinct.remove(null);
        long numbers = distinct.stream().filter(WordColumns::isNumber).count();
        String firstWord = where(source, firstLine[c], c) + "'" + abbreviate(first[c]) + "' in column '" + header.get(c) + "' is not a number";
        long words = distinct.size() - numbers;
        if (words < 2 || words <= numbers) throw new UserError(firstWord);
        if (distinct.size() > most || distinct.size() > Math.max(10, rows / 2))
            throw new UserError(firstWord + ", and its " + distinct.size() + " distinct values are too many to be " + what + hint);
    }

    /**
     * Puts each row's index in place of its word in column {@code c} (-1 where it is missing): the word's index among
     * {@code known}, or, where that is null, among the column's distinct words in sorted order, which it returns.
     */
    List<String> encode(int c, List<String> known, List<double[]> rows, List<Integer> lines, String source, List<String> header, String what) {
        List<String> names = known;
        if (names == null) {
            Set<String> sorted = new TreeSet<>();
            for (String t : texts[c]) if (t != null) sorted.add(t);
            names = new ArrayList<>(sorted);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < names.size(); k++) index.put(names.get(k), k);
        for (int i = 0; i < rows.size(); i++) {
            if (texts[c].get(i) == null) {
                rows.get(i)[c] = -1;
                continue;
            }
            Integer k = index.get(texts[c].get(i));
            if (k == null)
                throw new UserError(where(source, lines.get(i), c) + what + " '" + abbreviate(texts[c].get(i)) + "' in column '" + header.get(c)
                        + "' is not one the model was trained on (" + abbreviate(String.join(", ", names)) + ")");
            rows.get(i)[c] = k;
        }
        return names;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
