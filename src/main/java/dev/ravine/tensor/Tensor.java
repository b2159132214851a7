package dev.ravine.tensor;

import java.util.Arrays;

/**
 * A row-major matrix over float or double storage, possibly a window into a larger array (a layer's weights
 * inside the flat parameter vector). Exactly one of {@link #f} and {@link #d} is non-null.
 *
 * <p>The row count may shrink below the capacity it was made with, so one buffer serves every minibatch,
 * including a ragged last one, without allocating.
 */
public final class Tensor {
    public final DType dtype;
    public final float[] f;
    public final double[] d;
    public final int offset;
    public final int cols;
    private final int capacity;
    private int rows;

    private Tensor(DType dtype, float[] f, double[] d, int offset, int rows, int cols) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.capacity = rows;
    }

    public static Tensor zeros(DType dtype, int rows, int cols) {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("tensor too large: " + rows + "x" + cols);
        return dtype == DType.FLOAT32
                ? new Tensor(dtype, new float[(int) n], null, 0, rows, cols)
                : new Tensor(dtype, null, new double[(int) n], 0, rows, cols);
    }

    public static Tensor of(double[] values, int rows, int cols) {
        if (values.length != rows * cols) throw new IllegalArgumentException("need " + rows * cols + " values, got " + values.length);
        return new Tensor(DType.FLOAT64, null, values, 0, rows, cols);
    }

    public static Tensor of(float[] values, int rows, int cols) {
        if (values.length != rows * cols) throw new IllegalArgumentException("need " + rows * cols + " values, got " + values.length);
        return new Tensor(DType.FLOAT32, values, null, 0, rows, cols);
    }

    /** A rows x cols window of this tensor's storage starting at flat element {@code start} of this view. */
    public Tensor view(int start, int rows, int cols) {
        if (start < 0 || (long) start + (long) rows * cols > (long) capacity * this.cols)
            throw new IndexOutOfBoundsException("view [" + start + ", +" + rows * cols + ") outside " + capacity + "x" + this.cols);
        return new Tensor(dtype, f, d, offset + start, rows, cols);
    }

    public int rows() {
        return rows;
    }

    public int capacity() {
        return capacity;
    }

    /** Uses the first {@code n} rows of the capacity (a minibatch of n rows). */
    public Tensor setRows(int n) {
        if (n < 0 || n > capacity) throw new IllegalArgumentException("rows " + n + " outside [0, " + capacity + "]");
        rows = n;
        return this;
    }

    public int size() {
        return rows * cols;
    }

    public double get(int i) {
        return f != null ? f[offset + i] : d[offset + i];
    }

    public void set(int i, double v) {
        if (f != null) f[offset + i] = (float) v;
        else d[offset + i] = v;
    }

    public double get(int r, int c) {
        return get(r * cols + c);
    }

    public void set(int r, int c, double v) {
        set(r * cols + c, v);
    }

    /** Row {@code r}, widened to double, into {@code into} (at least {@code cols} long): one branch per row, not per value. */
    public void readRow(int r, double[] into) {
        int at = offset + r * cols;
        if (f != null) for (int j = 0; j < cols; j++) into[j] = f[at + j];
        else System.arraycopy(d, at, into, 0, cols);
    }

    /** Writes {@code from}'s first {@code cols} values into row {@code r}, rounded to this tensor's dtype. */
    public void writeRow(int r, double[] from) {
        int at = offset + r * cols;
        if (f != null) for (int j = 0; j < cols; j++) f[at + j] = (float) from[j];
        else System.arraycopy(from, 0, d, at, cols);
    }

    /** Reads entries [from, to) of this view, row after row, into the same entries of {@code into}. */
    public void readRange(int from, int to, double[] into) {
        if (f != null) for (int i = from; i < to; i++) into[i] = f[offset + i];
        else System.arraycopy(d, offset + from, into, from, to - from);
    }

    /** Writes entries [from, to) of {@code values} into the same entries of this view, rounded to its dtype. */
    public void writeRange(int from, int to, double[] values) {
        if (f != null) for (int i = from; i < to; i++) f[offset + i] = (float) values[i];
        else System.arraycopy(values, from, d, offset + from, to - from);
    }

    public void fill(double v) {
        if (f != null) Arrays.fill(f, offset, offset + size(), (float) v);
        else Arrays.fill(d, offset, offset + size(), v);
    }

    /** Copies this view's current rows into {@code dst} (same shape, any dtype). */
    public void copyTo(Tensor dst) {
        checkSameShape(this, dst);
        int n = size();
        if (f != null && dst.f != null) System.arraycopy(f, offset, dst.f, dst.offset, n);
        else if (d != null && dst.d != null) System.arraycopy(d, offset, dst.d, dst.offset, n);
        else if (f != null) for (int i = 0; i < n; i++) dst.d[dst.offset + i] = f[offset + i];
        else for (int i = 0; i < n; i++) dst.f[dst.offset + i] = (float) d[offset + i];
    }

    public double[] toDoubleArray() {
        double[] out = new double[size()];
        if (d != null) System.arraycopy(d, offset, out, 0, out.length);
        else for (int i = 0; i < out.length; i++) out[i] = f[offset + i];
        return out;
    }

    public String shapeString() {
        return "[" + rows + ", " + cols + "]";
    }

    static void checkSameShape(Tensor a, Tensor b) {
        if (a.rows != b.rows || a.cols != b.cols)
            throw new IllegalArgumentException("shape mismatch: " + a.shapeString() + " vs " + b.shapeString());
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString() + " " + dtype;
    }
}
