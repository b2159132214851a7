package dev.ravine.data;

import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * Rows of features {@code x} [n, d] and targets {@code y} [n, 1] (a class index or a value), in the training
 * dtype, with the names the file gave them.
 *
 * @param classes    the number of classes for classification (labels are 0 .. classes-1), 0 for regression
 * @param vocabulary the words the file held where numbers are expected: the classes' names ({@code y} holds each
 *                   one's index) and the categories of feature columns in words (one 0/1 feature a category)
 */
public record Dataset(String source, List<String> featureNames, String targetName, Task task, int classes, Tensor x, Tensor y,
                      Vocabulary vocabulary) {
    public Dataset {
        featureNames = List.copyOf(featureNames);
        if (x.rows() != y.rows()) throw new IllegalArgumentException(x.rows() + " feature rows but " + y.rows() + " targets");
        if (!vocabulary.classes().isEmpty() && vocabulary.classes().size() != classes)
            throw new IllegalArgumentException(vocabulary.classes().size() + " class names for " + classes + " classes");
    }

    /** Rows read from numbers alone. */
    public Dataset(String source, List<String> featureNames, String targetName, Task task, int classes, Tensor x, Tensor y) {
        this(source, featureNames, targetName, task, classes, x, y, Vocabulary.NONE);
    }

    /** The classes' names where the file named them in words, else empty (the labels were the indices). */
    public List<String> classNames() {
        return vocabulary.classes();
    }

    public int rows() {
        return x.rows();
    }

    public int features() {
        return x.cols;
    }

    /** Outputs a model needs: one per class, or one value. */
    public int outputs() {
        return task == Task.CLASSIFICATION ? classes : 1;
    }

    /** The first {@code n} rows ({@code n} 0: all of them, as they are); {@code n} beyond the rows is refused naming {@code option}. */
    public Dataset head(int n, String option) {
        if (n == 0) return this;
        if (n > rows()) throw new dev.ravine.UserError(option + " " + n + ": " + source + " has only " + rows() + " rows");
        return select(java.util.stream.IntStream.range(0, n).toArray());
    }

    /** A copy holding the given rows, in the given order. */
    public Dataset select(int[] rows) {
        Tensor sx = Tensor.zeros(x.dtype, rows.length, x.cols), sy = Tensor.zeros(y.dtype, rows.length, y.cols);
        for (int i = 0; i < rows.length; i++) {
            copyRow(x, rows[i], sx, i);
            copyRow(y, rows[i], sy, i);
        }
        return new Dataset(source, featureNames, targetName, task, classes, sx, sy, vocabulary);
    }

    /** Copies row {@code from} of {@code src} into row {@code to} of {@code dst} (same width and dtype). */
    public static void copyRow(Tensor src, int from, Tensor dst, int to) {
        int w = src.cols;
        if (src.f != null) System.arraycopy(src.f, src.offset + from * w, dst.f, dst.offset + to * w, w);
        else System.arraycopy(src.d, src.offset + from * w, dst.d, dst.offset + to * w, w);
    }
}
