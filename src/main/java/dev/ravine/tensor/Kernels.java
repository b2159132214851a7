package dev.ravine.tensor;

/**
 * Which kernels run: the Vector API ones (PackedGemm, Elementwise) when the {@code jdk.incubator.vector} module is
 * there, or the plain-Java {@link ScalarKernels} when it is not or when {@code RAVINE_KERNELS=scalar} asks for
 * them. The vector classes are only touched behind this check, so the JVM never loads them without the module.
 */
public final class Kernels {
    private static volatile boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"scalar".equals(System.getenv("RAVINE_KERNELS"));

    private Kernels() {
    }

    public static boolean vector() {
        return vector;
    }

    /** Switches kernels, for tests that run the same checks through both. */
    public static void useVector(boolean on) {
        if (on && !ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent())
            throw new IllegalStateException("the jdk.incubator.vector module is not available");
        vector = on;
    }

    /** What {@code --version} says. */
    public static String describe() {
        if (vector) return "Vector API, " + VectorInfo.bits() + "-bit vectors";
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "scalar (RAVINE_KERNELS=scalar)"
                : "scalar (the jdk.incubator.vector module is not available)";
    }

    /** Kept apart so that describing scalar kernels never loads a Vector API class. */
    private static final class VectorInfo {
        static int bits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
