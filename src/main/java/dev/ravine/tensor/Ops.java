package dev.ravine.tensor;

/**
 * Tensor-level kernels with shape checks, in the EJML habit: inputs first, output last. The three matrix
 * products are the ones a dense layer needs (forward y = x W^T, input gradient dY W, weight gradient dY^T x).
 * Each calling thread reuses one task object per product, so a training step allocates nothing. The work is
 * {@link PackedGemm32} (and its float64 twin).
 */
public final class Ops {
    /** A product's operands, handed to {@link Parallel} as a loop body over column strips of the result. */
    private static final class Product implements Parallel.Range {
        final boolean transA, transB;
        Tensor b, c;
        float[] packedA32;
        double[] packedA64;
        int m, n, k;
        boolean accumulate;

        Product(boolean transA, boolean transB) {
            this.transA = transA;
            this.transB = transB;
        }

        @Override
        public void run(int s0, int s1) {
            if (c.f != null) PackedGemm32.strips(packedA32, b.f, b.offset, transB, c.f, c.offset, m, n, k, accumulate, s0, s1);
            else PackedGemm64.strips(packedA64, b.d, b.offset, transB, c.d, c.offset, m, n, k, accumulate, s0, s1);
        }

        void run(Tensor a, Tensor b, Tensor c, int m, int n, int k, boolean accumulate) {
            if (m == 0 || n == 0) return;
            if (k == 0) {
                if (!accumulate) c.fill(0);
                return;
            }
            if (!Kernels.vector()) {
                Parallel.forRange(m, (long) m * n * k, (i0, i1) -> ScalarKernels.gemm(a, transA, b, transB, c, m, n, k, accumulate, i0, i1));
                return;
            }
            this.b = b;
            this.c = c;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            try {
                // A is packed once by the caller; each thread packs the strips of B it computes
                if (c.f != null) packedA32 = PackedGemm32.packA(a.f, a.offset, transA, m, k);
                else packedA64 = PackedGemm64.packA(a.d, a.offset, transA, m, k);
                int strips = c.f != null ? PackedGemm32.strips(n) : PackedGemm64.strips(n);
                Parallel.forRange(strips, (long) m * n * k, this);
            } finally {
                this.b = this.c = null; // hold no tensors between calls
                packedA32 = null;
                packedA64 = null;
            }
        }
    }

    private static final ThreadLocal<Product[]> PRODUCTS = ThreadLocal.withInitial(
            () -> new Product[] {new Product(false, true), new Product(false, false), new Product(true, false)});

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
        if (y.dtype != bias.dtype) throw new IllegalArgumentException("mixed dtypes " + y.dtype + ", " + bias.dtype);
        if (!Kernels.vector()) ScalarKernels.addRowVector(y, bias);
        else if (y.f != null) Elementwise32.addRowVector(y.f, y.offset, bias.f, bias.offset, y.rows(), n);
        else Elementwise64.addRowVector(y.d, y.offset, bias.d, bias.offset, y.rows(), n);
    }

    /** out[j] (+)= sum over rows i of g[i, j]. */
    public static void sumRows(Tensor g, Tensor out, boolean accumulate) {
        int n = g.cols;
        if (out.size() != n) throw new IllegalArgumentException("column sums of " + g.shapeString() + " do not fit " + out.shapeString());
        if (g.dtype != out.dtype) throw new IllegalArgumentException("mixed dtypes " + g.dtype + ", " + out.dtype);
        if (!Kernels.vector()) ScalarKernels.sumRows(g, out, accumulate);
        else if (g.f != null) Elementwise32.sumRows(g.f, g.offset, out.f, out.offset, g.rows(), n, accumulate);
        else Elementwise64.sumRows(g.d, g.offset, out.d, out.offset, g.rows(), n, accumulate);
    }

    /** y = max(x, 0), PyTorch's ReLU. */
    public static void relu(Tensor x, Tensor y) {
        if (!Kernels.vector()) ScalarKernels.relu(x, y);
        else if (x.f != null) Elementwise32.relu(x.f, x.offset, y.f, y.offset, x.size());
        else Elementwise64.relu(x.d, x.offset, y.d, y.offset, x.size());
    }

    /** out = in where x &gt; 0, else 0: ReLU's derivative (0 at 0, as PyTorch) applied to {@code in}. */
    public static void reluMask(Tensor x, Tensor in, Tensor out) {
        if (!Kernels.vector()) ScalarKernels.reluMask(x, in, out);
        else if (x.f != null) Elementwise32.reluBackward(x.f, x.offset, in.f, in.offset, out.f, out.offset, x.size());
        else Elementwise64.reluBackward(x.d, x.offset, in.d, in.offset, out.d, out.offset, x.size());
    }

    private static void checkShapes(String what, Tensor a, Tensor b, Tensor c, boolean ok) {
        if (!ok) throw new IllegalArgumentException(what + ": shapes " + a.shapeString() + ", " + b.shapeString() + " -> " + c.shapeString() + " do not match");
        if (a.dtype != b.dtype || a.dtype != c.dtype) throw new IllegalArgumentException(what + ": mixed dtypes " + a.dtype + ", " + b.dtype + ", " + c.dtype);
    }
}
