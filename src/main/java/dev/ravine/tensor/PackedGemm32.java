package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast float matrix product, C (+)= op(A) op(B), BLIS-style (Van Zee &amp; van de Geijn 2015): A is packed into
 * panels of MR rows and B into strips of NR = NV vectors of columns, each stored in the order the micro-kernel
 * reads them, so one kernel serves every transpose; the micro-kernel ({@link MicroKernels32}) keeps an MR x NR tile
 * of C in MR x NV vector registers and adds one rank-1 update per k (MR broadcasts, MR x NV fused multiply-adds).
 * The tile's shape follows the register file ({@link TileShape}); nothing assumes a vector width. Packing pads the
 * edges with zeros, so the kernel never branches inside its loop.
 *
 * <p>PackedGemm64 is generated from this file by {@code tools/gen-kernels.sh}: edit this one.
 */
final class PackedGemm32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final TileShape TILE = TileShape.inUse();
    static final int L = S.length(), MR = TILE.rows(), NV = TILE.vectors(), NR = NV * L;
    /** The kernel to call, as a constant the JIT folds the dispatch on. */
    private static final int SHAPE = TILE.ordinal();
    /** k is taken in blocks of KC, so a block of a B strip stays in L1 while every row panel passes over it. */
    static final int KC = 256;
    /**
     * A packed A panel repeats its layout every lcm(L, MR) values: PA_VECTORS vectors that cover PA_K k-values of
     * the MR rows. Nothing here assumes L &gt;= MR or L &lt;= MR (a 128-bit double vector has 2 lanes, a 512-bit
     * float vector 16).
     */
    private static final int PA_SPAN = lcm(L, MR), PA_VECTORS = PA_SPAN / L, PA_K = PA_SPAN / MR;
    /**
     * Whether the packing transposes use vector gathers. C2 does not compile a two-lane gather (128-bit double
     * vectors) to a gather instruction but emulates it lane by lane: there plain loops were measured 3.9x faster.
     */
    private static final boolean GATHERS = L >= 4;
    /** Per-thread gather indices for the packing transposes. */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[Math.max(L, PA_SPAN)]);
    /** Per-thread packing buffers (A panels, a B strip, edge tiles), grown as needed: nothing is allocated once warm. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[0]});

    private PackedGemm32() {
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    static int strips(int n) {
        return (n + NR - 1) / NR;
    }

    static int panels(int m) {
        return (m + MR - 1) / MR;
    }

    /** This thread's buffer for the packed panels of an [m, k] A, shared with the helpers that pack and read it. */
    static float[] panelBuffer(int m, int k) {
        float[][] buf = BUFFERS.get();
        if (buf[0].length < panels(m) * MR * k) buf[0] = new float[panels(m) * MR * k];
        return buf[0];
    }

    /**
     * Packs row panels [r0, r1) of op(A) [m, k] into {@code p}: panel r holds a(r*MR + i, q) at [r*MR*k + q*MR + i].
     * With {@code trans}, A is stored [k, m] (leading dimension m), else [m, k].
     */
    static void packA(float[] a, int ao, boolean trans, int m, int k, float[] p, int r0, int r1) {
        int[] rowsAcross = GATHER.get();
        for (int t = 0; t < PA_SPAN; t++) rowsAcross[t] = (t % MR) * k + t / MR; // packed entry t of a span: row t % MR, k-value t / MR
        for (int r = r0; r < r1; r++) {
            int base = r * MR * k, i0 = r * MR, rows = Math.min(MR, m - i0), q = 0;
            if (trans) {
                for (; q < k; q++) {
                    System.arraycopy(a, ao + q * m + i0, p, base + q * MR, rows);
                    for (int i = rows; i < MR; i++) p[base + q * MR + i] = 0;
                }
            } else {
                // a row-major panel is a transpose: gather L values across its MR rows at once
                if (rows == MR && GATHERS)
                    for (int from = ao + i0 * k; q + PA_K <= k; q += PA_K)
                        for (int v = 0; v < PA_VECTORS; v++) FloatVector.fromArray(S, a, from + q, rowsAcross, v * L).intoArray(p, base + q * MR + v * L);
                for (; q < k; q++)
                    for (int i = 0; i < MR; i++) p[base + q * MR + i] = i < rows ? a[ao + (i0 + i) * k + q] : 0;
            }
        }
    }

    /**
     * Computes the tiles in row panels [r0, r1) and column strips [s0, s1) of C [m, n] from packed A; B is op(B)
     * [k, n], stored [n, k] with {@code trans},
     * else [k, n]. Each strip of B is packed into this thread's buffer first. Tiles that stick out past C's edge
     * are computed in a scratch tile and copied in. A finished strip, still in cache, then gets {@code bias} added
     * to its rows and, when {@code relu} is given, max(C, 0) written there too (either may be null).
     */
    static void strips(float[] packedA, float[] b, int bo, boolean trans, float[] c, int co, int m, int n, int k,
                       boolean accumulate, float[] bias, int biaso, float[] relu, int reluo, int r0, int r1, int s0, int s1) {
        float[][] buf = BUFFERS.get();
        int panels = panels(m);
        if (buf[1].length < NR * k) buf[1] = new float[NR * k];
        if (buf[2].length < panels * MR * NR) buf[2] = new float[panels * MR * NR];
        float[] pb = buf[1], tiles = buf[2];
        for (int s = s0; s < s1; s++) {
            int j0 = s * NR, cols = Math.min(NR, n - j0);
            packB(b, bo, trans, n, k, j0, cols, pb);
            for (int q0 = 0; q0 < k; q0 += KC) {
                int kc = Math.min(KC, k - q0);
                boolean add = accumulate || q0 > 0;
                for (int r = r0; r < r1; r++) {
                    int i0 = r * MR;
                    boolean inside = MR <= m - i0 && cols == NR;
                    // one call site, so the JIT compiles the kernel on its own rather than inlining it twice
                    kernel(packedA, r * MR * k + q0 * MR, pb, q0 * NR, kc, inside ? c : tiles, inside ? co + i0 * n + j0 : r * MR * NR,
                            inside ? n : NR, inside ? add : q0 > 0);
                }
            }
            for (int r = r0; r < r1; r++) {
                int i0 = r * MR, rows = Math.min(MR, m - i0);
                if (rows == MR && cols == NR) continue;
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) {
                        int at = co + (i0 + i) * n + j0 + j;
                        float v = tiles[r * MR * NR + i * NR + j];
                        c[at] = accumulate ? c[at] + v : v;
                    }
            }
            if (bias != null || relu != null) epilogue(c, co, n, r0 * MR, Math.min(r1 * MR, m), j0, cols, bias, biaso, relu, reluo);
        }
    }

    /** C[i0 .. i1, j0 .. j0 + cols) += bias, then relu = max(C, 0) there; either may be null. */
    private static void epilogue(float[] c, int co, int n, int i0, int i1, int j0, int cols, float[] bias, int biaso, float[] relu, int reluo) {
        int full = cols == NR ? NR : 0; // whole vectors only where the strip is whole: its rows are NR wide
        for (int i = i0; i < i1; i++) {
            int at = co + i * n + j0, to = reluo + i * n + j0;
            for (int j = 0; j < full; j += L) {
                FloatVector y = FloatVector.fromArray(S, c, at + j);
                if (bias != null) {
                    y = y.add(FloatVector.fromArray(S, bias, biaso + j0 + j));
                    y.intoArray(c, at + j);
                }
                if (relu != null) y.max(0f).intoArray(relu, to + j);
            }
            for (int j = full; j < cols; j++) {
                float y = c[at + j];
                if (bias != null) c[at + j] = y += bias[biaso + j0 + j];
                if (relu != null) relu[to + j] = Math.max(y, 0f);
            }
        }
    }

    /** Packs columns [j0, j0 + cols) of op(B) as pb[q * NR + j], zero past cols. */
    private static void packB(float[] b, int bo, boolean trans, int n, int k, int j0, int cols, float[] pb) {
        if (trans && cols == NR && GATHERS) {
            // a transpose: each vector gathers one k-value from L stored rows of B
            int[] across = GATHER.get();
            for (int j = 0; j < L; j++) across[j] = j * k;
            int lo = bo + j0 * k;
            for (int q = 0; q < k; q++)
                for (int v = 0; v < NV; v++) FloatVector.fromArray(S, b, lo + v * L * k + q, across, 0).intoArray(pb, q * NR + v * L);
        } else if (trans) {
            for (int q = 0; q < k; q++)
                for (int j = 0; j < NR; j++) pb[q * NR + j] = j < cols ? b[bo + (j0 + j) * k + q] : 0;
        } else if (cols == NR) {
            // NV vectors per k-value: System.arraycopy's call costs more than the copy at this length
            for (int q = 0, from = bo + j0; q < k; q++, from += n)
                for (int v = 0; v < NV; v++) FloatVector.fromArray(S, b, from + v * L).intoArray(pb, q * NR + v * L);
        } else {
            for (int q = 0; q < k; q++) {
                System.arraycopy(b, bo + q * n + j0, pb, q * NR, cols);
                java.util.Arrays.fill(pb, q * NR + cols, q * NR + NR, 0);
            }
        }
    }

    /** The MR x NR tile: out[r, :] (+)= sum over q of a[q, r] b[q, :], by the micro-kernel of the tile in use. */
    private static void kernel(float[] a, int ao, float[] b, int bo, int k, float[] out, int oo, int ldo, boolean accumulate) {
        switch (SHAPE) {
            case 0 -> MicroKernels32.k8x2(a, ao, b, bo, k, out, oo, ldo, accumulate);
            case 1 -> MicroKernels32.k6x2(a, ao, b, bo, k, out, oo, ldo, accumulate);
            case 2 -> MicroKernels32.k4x3(a, ao, b, bo, k, out, oo, ldo, accumulate);
            default -> MicroKernels32.k4x2(a, ao, b, bo, k, out, oo, ldo, accumulate);
        }
    }
}
