package dev.ravine.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words a CSV file held where numbers are expected, and the numbers they stand for: the names of the classes
 * (each class its index in {@code classes}) and the categories of each feature column given in words (each
 * category one 0/1 feature, {@code column=category}, one-hot as scikit-learn's {@code OneHotEncoder} makes them).
 * A run keeps its vocabulary, so that other files are read as it read its training data.
 *
 * @param classes    the classes' names in index order; empty where the labels were the indices themselves
 * @param categories for each feature column given in words, its categories in the order of their features
 */
public record Vocabulary(List<String> classes, Map<String, List<String>> categories) {
    /** Numbers only: labels that are class indices and no column in words. */
    public static final Vocabulary NONE = new Vocabulary(List.of(), Map.of());

    public Vocabulary {
        classes = List.copyOf(classes);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        categories.forEach((column, words) -> copy.put(column, List.copyOf(words)));
        categories = Collections.unmodifiableMap(copy);
    }

    /** The names of {@code classes} classes: their names where the data gave words, else their indices. */
    public List<String> classLabels(int classes) {
        if (!this.classes.isEmpty()) return this.classes;
        return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    /** The name of the feature that is 1 where {@code column} holds {@code category}. */
    public static String feature(String column, String category) {
        return column + "=" + category;
    }
}
