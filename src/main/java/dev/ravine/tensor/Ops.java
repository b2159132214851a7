package dev.ravine.tensor;

/**
 * Tensor-level kernels with shape checks, in the EJML habit: inputs first, output last. The three matrix
 * products are the ones a dense layer needs (forward y = x W^T, input gradient dY W, weight gradient dY^T x).
 * Each calling thread reuses one task object per product, so a training step allocates nothing.
 */
public final class Ops {
    private enum Kind { NT, NN, TN }

    /** A product's operands, handed to {@link Parallel} as a loop body over rows of the result. */
    private static final class Product implements Parallel.Range {
        final Kind kind;
        Tensor a, b, c;
        int m, n, k;
        boolean accumulate;

        Product(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void run(int i0, int i1) {
            boolean single = a.f != null;
            switch (kind) {
                case NT -> {
                    if (single) Gemm32.nt(a.f, a.offset, b.f, b.offset, c.f, c.offset, n, k, accumulate, i0, i1);
                    else Gemm64.nt(a.d, a.offset, b.d, b.offset, c.d, c.offset, n, k, accumulate, i0, i1);
                }
                case NN -> {
                    if (single) Gemm32.nn(a.f, a.offset, b.f, b.offset, c.f, c.offset, n, k, accumulate, i0, i1);
                    else Gemm64.nn(a.d, a.offset, b.d, b.offset, c.d, c.offset, n, k, accumulate, i0, i1);
                }
                case TN -> {
                    if (single) Gemm32.tn(a.f, a.offset, m, b.f, b.offset, c.f, c.offset, n, k, accumulate, i0, i1);
                    else Gemm64.tn(a.d, a.offset, m, b.d, b.offset, c.d, c.offset, n, k, accumulate, i0, i1);
                }
            }
        }

        void run(Tensor a, Tensor b, Tensor c, int m, int n, int k, boolean accumulate) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            try {
                Parallel.forRange(m, (long) m * n * k, this);
            } finally {
                this.a = this.b = this.c = null; // hold no tensors between calls
            }
        }
    }

    private static final ThreadLocal<Product[]> PRODUCTS = ThreadLocal.withInitial(
            () -> new Product[] {new Product(Kind.NT), new Product(Kind.NN), new Product(Kind.TN)});

    private Ops() {
    }

    /** c (+)= a b^T, with a [m, k], b [n, k], c [m, n]. */
    public static void matmulNT(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        int m = a.rows(), k = a.cols, n = b.rows();
        checkShapes("a b^T", a, b, c, b.cols == k && c.rows() == m && c.cols == n);
        PRODUCTS.get()[0].run(a, b, c, m, n, k, accumulate);
    }

    /** c (+)= a b, with a [m, k], b [k, n], c [m, n]. */
    public static void matmulNN(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        int m = a.rows(), k = a.cols, n = b.cols;
        checkShapes("a b", a, b, c, b.rows() == k && c.rows() == m && c.cols == n);
        PRODUCTS.get()[1].run(a, b, c, m, n, k, accumulate);
    }

    /** c (+)= a^T b, with a [k, m], b [k, n], c [m, n]. */
    public static void matmulTN(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        int k = a.rows(), m = a.cols, n = b.cols;
        checkShapes("a^T b", a, b, c, b.rows() == k && c.rows() == m && c.cols == n);
        PRODUCTS.get()[2].run(a, b, c, m, n, k, accumulate);
    }

    /** y[i, :] += bias for every row i; bias has one row of y's width. */
    public static void addRowVector(Tensor y, Tensor bias) {
        if (bias.size() != y.cols) throw new IllegalArgumentException("bias " + bias.shapeString() + " does not fit rows of " + y.shapeString());
        int n = y.cols;
        for (int i = 0, rows = y.rows(); i < rows; i++)
            for (int j = 0; j < n; j++) y.set(i * n + j, y.get(i * n + j) + bias.get(j));
    }

    /** out[j] (+)= sum over rows i of g[i, j]. */
    public static void sumRows(Tensor g, Tensor out, boolean accumulate) {
        int n = g.cols;
        if (out.size() != n) throw new IllegalArgumentException("column sums of " + g.shapeString() + " do not fit " + out.shapeString());
        if (!accumulate) out.fill(0);
        for (int i = 0, rows = g.rows(); i < rows; i++)
            for (int j = 0; j < n; j++) out.set(j, out.get(j) + g.get(i * n + j));
    }

    private static void checkShapes(String what, Tensor a, Tensor b, Tensor c, boolean ok) {
        if (!ok) throw new IllegalArgumentException(what + ": shapes " + a.shapeString() + ", " + b.shapeString() + " -> " + c.shapeString() + " do not match");
        if (a.dtype != b.dtype || a.dtype != c.dtype) throw new IllegalArgumentException(what + ": mixed dtypes " + a.dtype + ", " + b.dtype + ", " + c.dtype);
    }
}
