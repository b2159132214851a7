package dev.ravine.tensor;

/**
 * Tensor-level kernels with shape checks, in the EJML habit: inputs first, output last. The three matrix
 * products are the ones a dense layer needs (forward y = x W^T, input gradient dY W, weight gradient dY^T x).
 * Each calling thread reuses one task object per product, so a training step allocates nothing. The work is
 * {@link PackedGemm32} (and its float64 twin).
 */
public final class Ops {
    /** Products computed so far, in any thread: each one's number tells a thread's packed strip of B from another's. */
    private static final java.util.concurrent.atomic.AtomicLong PRODUCTS_DONE = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A product's operands, handed to {@link Parallel} as a loop over column strips of the result, or, when there
     * are fewer strips than threads, as a loop over row panels, each thread packing its own panels and every strip
     * of B. Strips are preferred even where rows would balance as well: each thread then reads only its own rows of
     * a weight matrix, which stay in its cache from one step to the next (measured: 122k against 130k samples/s on
     * two threads). A strip's row panels come in {@link #CHUNKS} pieces, the loop's units: a thread that has
     * finished its strips takes over the last pieces of a slower one's, rather than waiting for it to finish a whole
     * strip. Over strips, each thread packs all of A's panels for itself, in its own buffer, where they fit in
     * {@link #OWN_PANELS} bytes (a minibatch's); larger ones the threads pack into one shared buffer first.
     */
    private static final class Product implements Parallel.Range {
        /** Pieces a strip's row panels are cut into (fewer when there are fewer panels). */
        static final int CHUNKS = 4;
        /**
         * The most bytes of packed A each thread packs for itself rather than sharing. Shared panels cost a second
         * parallel loop, a wait between the two, and a pass of cache lines from core to core: half of them written by
         * the other thread, and the buffer's lines read by both threads before each write: on two cores (AMD Zen 5,
         * 512-bit) a training step's eight products at batch 128 took 571-584 us this way against 656-687 us shared
         * (docs/performance.md, "Two threads"). Each thread's copy of a minibatch's panels stays in its L2 while it
         * passes over them once per strip.
         */
        static final long OWN_PANELS = 1 << 20;
        final boolean transA, transB;
        final Parallel.Range packing = this::pack, rows = this::rows;
        Tensor a, b, c, bias, relu;
        float[] packedA32;
        double[] packedA64;
        int m, n, k, panels, strips, panelGroup, chunks;
        long number;
        boolean accumulate, ownPanels;

        Product(boolean transA, boolean transB) {
            this.transA = transA;
            this.transB = transB;
        }

        private void pack(int r0, int r1) {
            if (c.f != null) PackedGemm32.packA(a.f, a.offset, transA, m, k, packedA32, r0, r1);
            else PackedGemm64.packA(a.d, a.offset, transA, m, k, packedA64, r0, r1);
        }

        private void tiles(float[] a32, double[] a64, int r0, int r1, int s0, int s1) {
            if (c.f != null)
                PackedGemm32.strips(a32, b.f, b.offset, transB, c.f, c.offset, m, n, k, accumulate, bias == null ? null : bias.f,
                        bias == null ? 0 : bias.offset, relu == null ? null : relu.f, relu == null ? 0 : relu.offset, r0, r1, s0, s1, number);
            else
                PackedGemm64.strips(a64, b.d, b.offset, transB, c.d, c.offset, m, n, k, accumulate, bias == null ? null : bias.d,
                        bias == null ? 0 : bias.offset, relu == null ? null : relu.d, relu == null ? 0 : relu.offset, r0, r1, s0, s1, number);
        }

        private void rows(int r0, int r1) {
            pack(r0, r1);
            tiles(packedA32, packedA64, r0, r1, 0, strips);
        }

        /** Units [u0, u1): unit u is strip u / chunks, its panels' piece u % chunks. */
        @Override
        public void run(int u0, int u1) {
            float[] a32 = packedA32;
            double[] a64 = packedA64;
            if (ownPanels) { // this thread's buffer, packed once for this product
                if (c.f != null) a32 = PackedGemm32.ownPanels(a.f, a.offset, transA, m, k, number);
                else a64 = PackedGemm64.ownPanels(a.d, a.offset, transA, m, k, number);
            }
            for (int u = u0; u < u1; ) {
                int s = u / chunks, last = Math.min(u1, (s + 1) * chunks); // this strip's units in the range
                tiles(a32, a64, panels * (u - s * chunks) / chunks, panels * (last - s * chunks) / chunks, s, s + 1);
                u = last;
            }
        }

        /** c (+)= op(a) op(b), then c += bias and relu = max(c, 0) where given. */
        void run(Tensor a, Tensor b, Tensor c, int m, int n, int k, boolean accumulate, Tensor bias, Tensor relu) {
            if (m == 0 || n == 0) return;
            if (!Kernels.vector(c.dtype)) {
                if (k > 0) Parallel.forRange(m, (long) m * n * k, (i0, i1) -> ScalarKernels.gemm(a, transA, b, transB, c, m, n, k, accumulate, i0, i1));
                else if (!accumulate) c.fill(0);
                if (bias != null) ScalarKernels.addRowVector(c, bias);
                if (relu != null) ScalarKernels.relu(c, relu);
                return;
            }
            if (k == 0) {
                if (!accumulate) c.fill(0);
                if (bias != null) addRowVector(c, bias);
                if (relu != null) relu(c, relu);
                return;
            }
            this.a = a;
            this.b = b;
            this.c = c;
            this.bias = bias;
            this.relu = relu;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = accumulate;
            try {
                long packedBytes;
                if (c.f != null) {
                    panels = PackedGemm32.panels(m);
                    strips = PackedGemm32.strips(n);
                    panelGroup = PackedGemm32.PANEL_GROUP;
                    packedBytes = PackedGemm32.panelLength(m, k) * Float.BYTES;
                } else {
                    panels = PackedGemm64.panels(m);
                    strips = PackedGemm64.strips(n);
                    panelGroup = PackedGemm64.PANEL_GROUP;
                    packedBytes = PackedGemm64.panelLength(m, k) * Double.BYTES;
                }
                long work = (long) m * n * k;
                number = PRODUCTS_DONE.incrementAndGet();
                int threads = Parallel.threads();
                // too few strips to share, or A taller than B is wide: each thread takes row panels, packs its own
                // rows of A and, for a tall A, all of B once (one piece a thread, so B is not packed again per piece)
                boolean tall = threads > 1 && m > n && strips >= threads && panels >= threads;
                boolean byRows = tall || strips < threads && panels > strips;
                ownPanels = !byRows && packedBytes <= OWN_PANELS;
                if (!ownPanels) { // the caller's buffer, shared by the threads
                    if (c.f != null) packedA32 = PackedGemm32.panelBuffer(m, k);
                    else packedA64 = PackedGemm64.panelBuffer(m, k);
                }
                if (tall) {
                    Parallel.forShares(panels, panelGroup, work, rows);
                } else if (byRows) {
                    Parallel.forRange(panels, panelGroup, work, rows);
                } else {
                    if (!ownPanels) Parallel.forRange(panels, panelGroup, 8L * m * k, packing); // a packed entry costs about 8 multiply-adds
                    chunks = Math.min(CHUNKS, panels);
                    Parallel.forRange(strips * chunks, work, this);
                }
            } finally {
                this.a = this.b = this.c = this.bias = this.relu = null; // hold no tensors between calls
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
        PRODUCTS.get()[0].run(a, b, c, m, n, k, accumulate, null, null);
    }

    /** c (+)= a b, with a [m, k], b [k, n], c [m, n]. */
    public static void matmulNN(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        int m = a.rows(), k = a.cols, n = b.cols;
        checkShapes("a b", a, b, c, b.rows() == k && c.rows() == m && c.cols == n);
        PRODUCTS.get()[1].run(a, b, c, m, n, k, accumulate, null, null);
    }

    /** c (+)= a^T b, with a [k, m], b [k, n], c [m, n]. */
    public static void matmulTN(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        int k = a.rows(), m = a.cols, n = b.cols;
        checkShapes("a^T b", a, b, c, b.rows() == k && c.rows() == m && c.cols == n);
        PRODUCTS.get()[2].run(a, b, c, m, n, k, accumulate, null, null);
    }

    /**
     * nn.Linear's y = x W^T + b with x [m, in], W [out, in], b [out], y [m, out]; with {@code relu} non-null also
     * relu = max(y, 0), the ReLU that follows. The bias and the ReLU are applied to each strip of y as soon as the
     * product has finished it, while it is in cache: one pass over y instead of three.
     */
    public static void linear(Tensor x, Tensor w, Tensor b, Tensor y, Tensor relu) {
        int m = x.rows(), k = x.cols, n = w.rows();
        checkShapes("x W^T", x, w, y, w.cols == k && y.rows() == m && y.cols == n);
        if (b.size() != n || b.dtype != y.dtype) throw new IllegalArgumentException("bias " + b.shapeString() + " does not fit rows of " + y.shapeString());
        if (relu != null && (relu.rows() != m || relu.cols != n || relu.dtype != y.dtype))
            throw new IllegalArgumentException("ReLU output " + relu.shapeString() + " does not fit " + y.shapeString());
        PRODUCTS.get()[0].run(x, w, y, m, n, k, false, b, relu);
    }

    /** y[i, :] += bias for every row i; bias has one row of y's width. */
    public static void addRowVector(Tensor y, Tensor bias) {
        if (bias.size() != y.cols) throw new IllegalArgumentException("bias " + bias.shapeString() + " does not fit rows of " + y.shapeString());
        int n = y.cols;
        if (y.dtype != bias.dtype) throw new IllegalArgumentException("mixed dtypes " + y.dtype + ", " + bias.dtype);
        if (!Kernels.vector(y.dtype)) ScalarKernels.addRowVector(y, bias);
        else if (y.f != null) Elementwise32.addRowVector(y.f, y.offset, bias.f, bias.offset, y.rows(), n);
        else Elementwise64.addRowVector(y.d, y.offset, bias.d, bias.offset, y.rows(), n);
    }

    /** out[j] (+)= sum over rows i of g[i, j]; the columns are split over the threads. */
    public static void sumRows(Tensor g, Tensor out, boolean accumulate) {
        int n = g.cols;
        if (out.size() != n) throw new IllegalArgumentException("column sums of " + g.shapeString() + " do not fit " + out.shapeString());
        if (g.dtype != out.dtype) throw new IllegalArgumentException("mixed dtypes " + g.dtype + ", " + out.dtype);
        if (!Kernels.vector(g.dtype)) ScalarKernels.sumRows(g, out, accumulate);
        else SWEEPS.get().run(Sweep.SUM_ROWS, g, null, out, accumulate);
    }

    /** Rows [to, to + count) of dst = rows index[at], ..., index[at + count - 1] of src (same width and dtype). */
    public static void gatherRows(Tensor src, int[] index, int at, Tensor dst, int to, int count) {
        if (src.cols != dst.cols || src.dtype != dst.dtype || to + count > dst.rows())
            throw new IllegalArgumentException("rows of " + src.shapeString() + " do not fit " + dst.shapeString() + " at row " + to);
        if (!Kernels.vector(src.dtype)) ScalarKernels.gatherRows(src, index, at, dst, to, count);
        else if (src.f != null) Elementwise32.gatherRows(src.f, src.offset, src.cols, index, at, dst.f, dst.offset + to * dst.cols, count);
        else Elementwise64.gatherRows(src.d, src.offset, src.cols, index, at, dst.d, dst.offset + to * dst.cols, count);
    }

    /** y = max(x, 0), PyTorch's ReLU. */
    public static void relu(Tensor x, Tensor y) {
        if (!Kernels.vector(x.dtype)) ScalarKernels.relu(x, y);
        else if (x.f != null) Elementwise32.relu(x.f, x.offset, y.f, y.offset, x.size());
        else Elementwise64.relu(x.d, x.offset, y.d, y.offset, x.size());
    }

    /** out = in where x &gt; 0, else 0: ReLU's derivative (0 at 0, as PyTorch) applied to {@code in}; split over the threads. */
    public static void reluMask(Tensor x, Tensor in, Tensor out) {
        if (!Kernels.vector(x.dtype)) ScalarKernels.reluMask(x, in, out);
        else SWEEPS.get().run(Sweep.RELU_MASK, x, in, out, false);
    }

    /**
     * y = f(x) entrywise, split over the threads: a call to Math's tanh per entry took 0.5-0.7 ms of a 784-256-256-10
     * step at batch 128 (most activations go through kernels of their own on the vector kernels, {@link Float32Kernel}
     * and {@link Float64Kernel}; see {@link PointwiseSweep}).
     */
    public static void map(Pointwise f, Tensor x, Tensor y) {
        checkSameShape(x, y);
        PointwiseSweep.run(PointwiseSweep.FORWARD, f, x, null, null, null, null, y, null, null);
    }

    /**
     * out = in f'(x) entrywise, given y = f(x), split over the threads: f's backward pass (float32 GELU's and SiLU's on
     * kernels of their own, {@link Float32Kernel}).
     */
    public static void mapScale(Pointwise f, Tensor x, Tensor y, Tensor in, Tensor out) {
        checkSameShape(x, y);
        checkSameShape(x, in);
        checkSameShape(x, out);
        PointwiseSweep.run(PointwiseSweep.SCALE, f, x, y, null, in, null, out, null, null);
    }

    /** slope = f'(x) and curvature = f''(x) entrywise, given y = f(x), split over the threads: for {@link #scaleKept} and {@link #rKept}. */
    public static void keepSlopes(Pointwise f, Tensor x, Tensor y, double[] slope, double[] curvature) {
        checkSameShape(x, y);
        if (slope.length < x.size() || curvature.length < x.size())
            throw new IllegalArgumentException("slopes of " + slope.length + " entries for " + x.shapeString());
        PointwiseSweep.run(PointwiseSweep.KEEP, f, x, y, null, null, null, null, slope, curvature);
    }

    /** out = in f'(x) entrywise with f'(x) kept by {@link #keepSlopes}: {@link #mapScale}'s bits on the float64 path. */
    public static void scaleKept(double[] slope, Tensor in, Tensor out) {
        checkSameShape(in, out);
        PointwiseSweep.run(PointwiseSweep.SCALE_KEPT, null, in, null, null, in, null, out, slope, null);
    }

    /**
     * rgx = f''(x) rx gy + f'(x) rgy entrywise with f'(x) and f''(x) kept by {@link #keepSlopes}, split over the threads:
     * the R-operator of f's backward pass (Pearlmutter 1994); {@code rx} null where R{x} is 0.
     */
    public static void rKept(double[] slope, double[] curvature, Tensor rx, Tensor gy, Tensor rgy, Tensor rgx) {
        if (rx != null) checkSameShape(gy, rx);
        checkSameShape(gy, rgy);
        checkSameShape(gy, rgx);
        PointwiseSweep.run(PointwiseSweep.R_KEPT, null, gy, null, rx, gy, rgy, rgx, slope, curvature);
    }

    /** out = in f'(x) for a squashing function f, from y = f(x) alone. */
    public static void squashScale(Squash f, Tensor y, Tensor in, Tensor out) {
        checkSameShape(y, in);
        checkSameShape(y, out);
        if (!Kernels.vector(y.dtype)) ScalarKernels.squashScale(f, y, in, out);
        else if (y.f != null) Elementwise32.squashScale(f, y.f, y.offset, in.f, in.offset, out.f, out.offset, y.size());
        else Elementwise64.squashScale(f, y.d, y.offset, in.d, in.offset, out.d, out.offset, y.size());
    }

    /**
     * rgx = f''(x) rx gy + f'(x) rgy for a squashing function f, from y = f(x): the R-operator of f's backward pass
     * (Pearlmutter 1994); {@code rx} null where R{x} is 0.
     */
    public static void squashR(Squash f, Tensor y, Tensor rx, Tensor gy, Tensor rgy, Tensor rgx) {
        if (rx != null) checkSameShape(y, rx);
        checkSameShape(y, gy);
        checkSameShape(y, rgy);
        checkSameShape(y, rgx);
        if (!Kernels.vector(y.dtype)) ScalarKernels.squashR(f, y, rx, gy, rgy, rgx);
        else if (y.f != null)
            Elementwise32.squashR(f, y.f, y.offset, rx == null ? null : rx.f, rx == null ? 0 : rx.offset, gy.f, gy.offset, rgy.f, rgy.offset,
                    rgx.f, rgx.offset, y.size());
        else
            Elementwise64.squashR(f, y.d, y.offset, rx == null ? null : rx.d, rx == null ? 0 : rx.offset, gy.d, gy.offset, rgy.d, rgy.offset,
                    rgx.d, rgx.offset, y.size());
    }

    private static void checkSameShape(Tensor a, Tensor b) {
        if (a.rows() != b.rows() || a.cols != b.cols || a.dtype != b.dtype)
            throw new IllegalArgumentException(b.shapeString() + " " + b.dtype + " does not fit " + a.shapeString() + " " + a.dtype);
    }

    /**
     * An elementwise pass handed to {@link Parallel}: ranges of entries (ReLU's mask) or of columns (column sums),
     * so that each output entry is computed by one thread in the same order whatever the thread count.
     */
    private static final class Sweep implements Parallel.Range {
        static final int SUM_ROWS = 0, RELU_MASK = 1;
        int kind;
        Tensor x, in, out;
        boolean accumulate;

        void run(int kind, Tensor x, Tensor in, Tensor out, boolean accumulate) {
            this.kind = kind;
            this.x = x;
            this.in = in;
            this.out = out;
            this.accumulate = accumulate;
            try {
                int n = kind == SUM_ROWS ? x.cols : x.size();
                Parallel.forRange(n, 4L * x.size(), this); // an entry costs about 4 multiply-adds
            } finally {
                this.x = this.in = this.out = null;
            }
        }

        @Override
        public void run(int from, int to) {
            if (kind == SUM_ROWS) {
                if (x.f != null) Elementwise32.sumRows(x.f, x.offset + from, out.f, out.offset + from, x.rows(), to - from, x.cols, accumulate);
                else Elementwise64.sumRows(x.d, x.offset + from, out.d, out.offset + from, x.rows(), to - from, x.cols, accumulate);
            } else if (x.f != null) {
                Elementwise32.reluBackward(x.f, x.offset + from, in.f, in.offset + from, out.f, out.offset + from, to - from);
            } else {
                Elementwise64.reluBackward(x.d, x.offset + from, in.d, in.offset + from, out.d, out.offset + from, to - from);
            }
        }
    }

    private static final ThreadLocal<Sweep> SWEEPS = ThreadLocal.withInitial(Sweep::new);

    private static void checkShapes(String what, Tensor a, Tensor b, Tensor c, boolean ok) {
        if (!ok) throw new IllegalArgumentException(what + ": shapes " + a.shapeString() + ", " + b.shapeString() + " -> " + c.shapeString() + " do not match");
        if (a.dtype != b.dtype || a.dtype != c.dtype) throw new IllegalArgumentException(what + ": mixed dtypes " + a.dtype + ", " + b.dtype + ", " + c.dtype);
    }
}
