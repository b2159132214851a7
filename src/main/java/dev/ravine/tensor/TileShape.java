package dev.ravine.tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The micro-kernel's tile of C: {@code rows} rows by {@code vectors} vectors of columns. The kernel keeps
 * rows x vectors accumulators, the vectors of B and one broadcast of A in registers at once, so the shape must
 * fit the register file or the JIT spills accumulators to the stack on every k: 8 x 2 (19 registers) where there
 * are 32 (AVX-512, ARM NEON and SVE), 6 x 2 (15) where there are 16 (AVX2). Wider tiles read less of A and B per
 * multiply-add; among those that fit, the choice is measured (docs/performance.md).
 * {@code RAVINE_TILE=6x2} (or another shape here) overrides it, for benchmarks.
 */
public enum TileShape {
    T8X2(8, 2), T6X2(6, 2), T4X3(4, 3), T4X2(4, 2);

    private final int rows, vectors;

    TileShape(int rows, int vectors) {
        this.rows = rows;
        this.vectors = vectors;
    }

    public int rows() {
        return rows;
    }

    public int vectors() {
        return vectors;
    }

    /** Accumulators, B's vectors and one broadcast A value: what the kernel's loop holds in registers. */
    public int registers() {
        return rows * vectors + vectors + 1;
    }

    @Override
    public String toString() {
        return rows + "x" + vectors;
    }

    /** The shape in use, chosen once, when the kernels first ask. */
    public static TileShape inUse() {
        return InUse.SHAPE;
    }

    /** Kept apart so that a bad RAVINE_TILE can be reported by {@link #choose} before any kernel loads. */
    private static final class InUse {
        static final TileShape SHAPE = choose(System.getenv("RAVINE_TILE"), vectorRegisters());
    }

    /** The override when one is given (a shape name such as 6x2), else the widest tile the register file holds. */
    public static TileShape choose(String override, int registers) {
        if (override != null && !override.isBlank()) {
            for (TileShape t : values()) if (t.toString().equals(override.trim().toLowerCase(Locale.ROOT))) return t;
            throw new IllegalArgumentException("RAVINE_TILE=" + override + ": not a tile shape (8x2, 6x2, 4x3 or 4x2)");
        }
        return registers >= 32 ? T8X2 : T6X2;
    }

    /**
     * How many vector registers the JIT may use: 32 on x86 when it emits AVX-512 (UseAVX=3, whatever the vector
     * width; -XX:UseAVX=2 leaves AVX2's 16), 32 on AArch64, 16 elsewhere.
     */
    public static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.equals("arm64")) return 32;
        if (!x86()) return 16;
        return AVX >= 3 ? 32 : 16;
    }

    /**
     * Whether the JIT has a two-register lane permute at every width: everywhere but on x86 without AVX-512, where
     * a two-vector selection is two permutes and a blend.
     */
    static boolean twoVectorPermutes() {
        return !x86() || AVX >= 3;
    }

    private static boolean x86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** HotSpot's UseAVX level on x86, asked once (the tile and both dtypes' transposes are chosen by it); 0 elsewhere. */
    private static final int AVX = x86() ? useAvx() : 0;

    /** HotSpot's UseAVX level; where the JVM does not say, 3 when the CPU reports AVX-512 (Linux), else 2. */
    private static int useAvx() {
        String level = HotSpotFlags.get("UseAVX");
        if (level != null) return Integer.parseInt(level);
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f") ? 3 : 2;
        } catch (java.io.IOException | RuntimeException notLinux) {
            return 2;
        }
    }
}
