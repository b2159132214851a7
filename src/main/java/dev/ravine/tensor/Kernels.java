package dev.ravine.tensor;

/**
 * Which kernels run: the Vector API ones (PackedGemm, Elementwise) when the {@code jdk.incubator.vector} module is
 * there, or the plain-Java {@link ScalarKernels} when it is not, when the JIT has no fused multiply-add, or when
 * {@code RAVINE_KERNELS=scalar} asks for them. The vector classes are only touched behind this check, so the JVM never
 * loads them without the module.
 */
public final class Kernels {
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * Whether the JIT emits fused multiply-adds. Without them (a CPU without FMA: SSE-only virtual CPUs, many Atom and
     * Celeron cores; -XX:UseAVX=0 or -XX:-UseFMA) C2 has nothing to compile a vector fma to, and every one the kernels
     * do runs in the Vector API's Java fallback: five epochs on digits took over 300 s there against 2.4 s. The
     * plain-Java kernels add products without fusing them and run at the machine's speed.
     */
    private static final boolean FMA = !"false".equals(HotSpotFlags.get("UseFMA"));
    private static final boolean ASKED_SCALAR = "scalar".equals(System.getenv("RAVINE_KERNELS"));
    private static final boolean DEFAULT = MODULE && FMA && !ASKED_SCALAR;
    private static volatile boolean vector = DEFAULT;

    private Kernels() {
    }

    public static boolean vector() {
        return vector;
    }

    /**
     * Whether work in {@code dtype} runs on the Vector API kernels. float64 does not where a vector holds one double
     * (64-bit vectors, -XX:MaxVectorSize=8): C2 compiles no vector code for one lane, and the Vector API's Java fallback
     * ran a float64 epoch ten times slower than the plain-Java kernels. float32 has two lanes there and keeps them.
     */
    public static boolean vector(DType dtype) {
        return vector && (dtype == DType.FLOAT32 || VectorInfo.bits() >= 128);
    }

    /** Switches kernels, for tests that run the same checks through both. */
    public static void useVector(boolean on) {
        if (on && !MODULE)
            throw new IllegalStateException("the jdk.incubator.vector module is not available");
        vector = on;
    }

    /** Back to the kernels the environment chose, after {@link #useVector}. */
    public static void useDefault() {
        vector = DEFAULT;
    }

    /** Fails with a user error when {@code RAVINE_TILE} names no tile shape, before any kernel has loaded. */
    public static void checkSettings() {
        try {
            TileShape.choose(System.getenv("RAVINE_TILE"), TileShape.vectorRegisters());
        } catch (IllegalArgumentException e) {
            throw new dev.ravine.UserError(e.getMessage());
        }
    }

    /** Floats in one of the kernels' vectors: 4, 8 or 16 with the Vector API, 1 with the scalar kernels. */
    public static int floatLanes() {
        return vector ? VectorInfo.bits() / 32 : 1;
    }

    /** What {@code --version} says. */
    public static String describe() {
        if (vector) {
            TileShape t = TileShape.inUse();
            int floats = floatLanes();
            return "Vector API, " + VectorInfo.bits() + "-bit vectors (" + floats + " floats, " + floats / 2 + (floats == 2 ? " double), " : " doubles), ")
                    + TileShape.vectorRegisters() + " vector registers, GEMM tile " + t + " vectors (" + t.rows() + "x" + t.vectors() * floats + " floats"
                    + (vector(DType.FLOAT64) ? ", " + t.rows() + "x" + t.vectors() * floats / 2 + " doubles)" : "); float64 on the plain-Java kernels");
        }
        if (!MODULE) return "scalar (the jdk.incubator.vector module is not available)";
        return ASKED_SCALAR ? "scalar (RAVINE_KERNELS=scalar)"
                : "scalar (no fused multiply-add on this CPU or JVM, UseFMA off: the Vector API would emulate each one)";
    }

    /** Kept apart so that describing scalar kernels never loads a Vector API class. */
    private static final class VectorInfo {
        static int bits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
