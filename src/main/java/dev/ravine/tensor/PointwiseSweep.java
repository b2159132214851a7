package dev.ravine.tensor;

/**
 * A {@link Pointwise} function's passes over a tensor, handed to {@link Parallel} in ranges of entries: the forward
 * pass (on the arrays themselves), the backward pass's scaling by f'(x), and for the R-operator f'(x) and f''(x) kept
 * in arrays and the passes that read them (through {@code Tensor.get}/{@code set}). Each entry is computed by one
 * thread with the same operations whatever the thread count, in double, rounded to the tensor's dtype. A call per
 * entry: the passes of activations without kernels of their own, and of all of them on the plain-Java kernels, where f
 * alone costs ten nanoseconds or more (GELU's erf, SiLU's exp, Math's tanh 7-11 ns, Mish's exp, log1p and tanh 50).
 * The exceptions, on the vector kernels: in float32 both passes of every activation but ReLU (tanh's and the sigmoid's
 * derivatives being {@link Squash}'s) ({@link Float32Kernel}), in float64 the same where vectors hold four doubles or
 * more ({@link Float64Kernel}), whose entries are the same bits however the pass is split.
 */
final class PointwiseSweep implements Parallel.Range {
    static final int FORWARD = 0, SCALE = 1, KEEP = 2, SCALE_KEPT = 3, R_KEPT = 4;
    /** What an entry costs, in the multiply-adds {@link Parallel} counts: a transcendental function is some tens. */
    private static final long WORK = 32;
    /** The same for SCALE_KEPT and R_KEPT: a few multiplications. */
    private static final long KEPT_WORK = 4;
    private static final ThreadLocal<PointwiseSweep> SWEEPS = ThreadLocal.withInitial(PointwiseSweep::new);

    private int kind;
    private Pointwise f;
    /** A float32 pass on a kernel of its own: which function; null for the others. */
    private Float32Kernel kernel32;
    /** A float64 pass on a kernel of its own: which function; null for the others. */
    private Float64Kernel kernel64;
    /** The kernel's hyperparameters ({@link Pointwise#parameters}), read once a pass. */
    private double[] parameters;
    private Tensor x, y, rx, in, inR, out;
    /** KEEP's f'(x) and f''(x), which SCALE_KEPT and R_KEPT read in their place. */
    private double[] slope, curvature;

    /**
     * FORWARD: out = f(x). SCALE: out = in f'(x). KEEP: slope = f'(x), curvature = f''(x). SCALE_KEPT: out = slope in.
     * R_KEPT: out = curvature rx in + slope inR, rx null where R{x} is 0, in being the output's gradient and inR its
     * R{}: the same operations on the same doubles as with f'(x) and f''(x) taken per entry, so the same bits. The kept
     * passes need no f and take x as the tensor that sets the entries' count.
     */
    static void run(int kind, Pointwise f, Tensor x, Tensor y, Tensor rx, Tensor in, Tensor inR, Tensor out, double[] slope,
                    double[] curvature) {
        PointwiseSweep s = SWEEPS.get();
        s.kind = kind;
        s.f = f;
        s.x = x;
        s.y = y;
        s.rx = rx;
        s.in = in;
        s.inR = inR;
        s.out = out;
        s.slope = slope;
        s.curvature = curvature;
        Float32Kernel k = f != null && x.f != null && Kernels.vector(DType.FLOAT32) ? f.float32Kernel() : null;
        s.kernel32 = k != null && (kind == FORWARD || kind == SCALE && k.scales()) ? k : null;
        Float64Kernel k64 = f != null && x.d != null && Float64Kernel.inUse() ? f.float64Kernel() : null;
        s.kernel64 = k64 != null && (kind == FORWARD || kind == SCALE && k64.scales()) ? k64 : null;
        s.parameters = s.kernel32 != null || s.kernel64 != null ? f.parameters() : null;
        try {
            long work = s.kernel32 != null ? s.kernel32.work(kind == SCALE) : s.kernel64 != null ? Float64Kernel.WORK
                    : kind >= SCALE_KEPT ? KEPT_WORK : WORK;
            Parallel.forRange(x.size(), work * x.size(), s);
        } finally {
            s.f = null;
            s.kernel32 = null;
            s.kernel64 = null;
            s.parameters = null;
            s.x = s.y = s.rx = s.in = s.inR = s.out = null;
            s.slope = s.curvature = null;
        }
    }

    @Override
    public void run(int from, int to) {
        switch (kind) {
            case FORWARD -> {
                if (kernel32 != null) kernel32.forward(parameters, x.f, x.offset + from, out.f, out.offset + from, to - from);
                else if (kernel64 != null) kernel64.forward(parameters, x.d, x.offset + from, out.d, out.offset + from, to - from);
                else if (x.f != null) for (int i = from; i < to; i++) out.f[out.offset + i] = (float) f.apply(x.f[x.offset + i]);
                else for (int i = from; i < to; i++) out.d[out.offset + i] = f.apply(x.d[x.offset + i]);
            }
            case SCALE -> {
                if (kernel32 != null)
                    kernel32.scale(parameters, x.f, x.offset + from, y.f, y.offset + from, in.f, in.offset + from, out.f, out.offset + from, to - from);
                else if (kernel64 != null)
                    kernel64.scale(parameters, x.d, x.offset + from, y.d, y.offset + from, in.d, in.offset + from, out.d, out.offset + from, to - from);
                else for (int i = from; i < to; i++) out.set(i, in.get(i) * f.derivative(x.get(i), y.get(i)));
            }
            case KEEP -> {
                for (int i = from; i < to; i++) {
                    double xi = x.get(i), yi = y.get(i);
                    slope[i] = f.derivative(xi, yi);
                    curvature[i] = f.second(xi, yi);
                }
            }
            case SCALE_KEPT -> {
                for (int i = from; i < to; i++) out.set(i, in.get(i) * slope[i]);
            }
            default -> {
                // R{f'(x) gy} = f''(x) R{x} gy + f'(x) R{gy}
                for (int i = from; i < to; i++) {
                    double c = rx == null ? 0 : curvature[i] * rx.get(i) * in.get(i);
                    out.set(i, c + slope[i] * inR.get(i));
                }
            }
        }
    }
}
