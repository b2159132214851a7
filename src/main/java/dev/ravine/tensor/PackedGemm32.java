package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast float matrix product, C (+)= op(A) op(B), BLIS-style (Van Zee &amp; van de Geijn 2015): A is packed into
 * panels of MR rows and B into strips of NR = NV vectors of columns, each stored in the order the micro-kernel
 * reads them, so one kernel serves every transpose; the micro-kernel ({@link MicroKernels32}) keeps an MR x NR tile
 * of C in MR x NV vector registers and adds one rank-1 update per k (MR broadcasts, MR x NV fused multiply-adds).
 * The tile's shape follows the register file ({@link TileShape}); nothing assumes a vector width. A panel holds its
 * rows in blocks of L k-values (a row-major A is copied in whole vectors; a transposed one turned by
 * {@link Transposes32}), a strip of a transposed B is turned by the same block transposes. Packing pads the edges
 * with zeros, k up to whole blocks of L included, so the kernel never branches inside its loop.
 *
 * <p>PackedGemm64 is generated from this file by {@code tools/gen-kernels.sh}: edit this one.
 */
final class PackedGemm32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final TileShape TILE = TileShape.inUse();
    static final int L = S.length(), MR = TILE.rows(), NV = TILE.vectors(), NR = NV * L;
    /**
     * The fewest panels whose rows are whole blocks of L: a thread packing a run of such groups turns all of a
     * transposed A's rows in L x L blocks, none of them one value at a time, except at A's last rows.
     */
    static final int PANEL_GROUP = L / gcd(MR, L);
    /** The kernel to call, as a constant the JIT folds the dispatch on. */
    private static final int SHAPE = TILE.ordinal();
    /**
     * k is taken in blocks of KC (a multiple of L), so a block of a B strip (KC x NR values, at most 128 KB) stays in
     * L2 while every row panel passes over it. An L1-sized block (KC = 256) made the float64 products at 1,000 rows 8%
     * slower at 512-bit (AMD Zen 4), and no width or dtype faster: from L2 the strip still feeds the kernel in time, and
     * each block beyond the first costs another pass of every C tile.
     */
    static final int KC = 1024;
    /** Per-thread packing buffers (A panels, a B strip, edge tiles, one tile), grown as needed: nothing is allocated once warm. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[0], new float[MR * NR]});
    /**
     * Per thread, the product (by its number, {@link Ops}' count) and the strip whose packed B the thread's buffer
     * holds, and the product whose A panels it holds ({@link #ownPanels}): a thread that computes a strip's panels
     * in several pieces packs the strip once, and a thread's own panels are packed once per product.
     */
    private static final ThreadLocal<long[]> PACKED = ThreadLocal.withInitial(() -> new long[] {-1, -1, -1});
    /** Per-thread destinations of a block transpose's columns, when they fall in different panels. */
    private static final ThreadLocal<int[]> DESTINATIONS = ThreadLocal.withInitial(() -> new int[L]);

    private PackedGemm32() {
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static int strips(int n) {
        return (n + NR - 1) / NR;
    }

    static int panels(int m) {
        return (m + MR - 1) / MR;
    }

    /** k rounded up to whole blocks of L: packed panels and strips hold this many k-values, zero past k. */
    static int padded(int k) {
        return (k + L - 1) / L * L;
    }

    /** Entries of op(A) [m, k] packed: whole panels of MR rows, k padded to whole blocks. */
    static long panelLength(int m, int k) {
        return (long) panels(m) * MR * padded(k);
    }

    /** This thread's buffer for the packed panels of an [m, k] A, shared with the helpers that pack and read it. */
    static float[] panelBuffer(int m, int k) {
        float[][] buf = BUFFERS.get();
        if (buf[0].length < panelLength(m, k)) buf[0] = new float[Math.toIntExact(panelLength(m, k))];
        PACKED.get()[2] = -1; // whoever asks will write it
        return buf[0];
    }

    /** This thread's panel buffer holding all of op(A) [m, k], packed unless it already is for {@code product}. */
    static float[] ownPanels(float[] a, int ao, boolean trans, int m, int k, long product) {
        long[] packed = PACKED.get();
        if (packed[2] == product) return BUFFERS.get()[0];
        float[] p = panelBuffer(m, k);
        packA(a, ao, trans, m, k, p, 0, panels(m));
        packed[2] = product;
        return p;
    }

    /** Where row i of op(A) has its L k-values from qb on (qb a multiple of L) in the packed panels. */
    private static int slot(int i, int qb, int kp) {
        return i / MR * MR * kp + qb * MR + i % MR * L;
    }

    /**
     * Packs row panels [r0, r1) of op(A) [m, k] into {@code p}: panel r holds its MR rows' k-values in blocks of L,
     * row after row in each block, a(i, q) at {@link #slot slot(i, q - q % L, kp)} + q % L, zero past m and k. With
     * {@code trans}, A is stored [k, m] (leading dimension m), else [m, k].
     */
    static void packA(float[] a, int ao, boolean trans, int m, int k, float[] p, int r0, int r1) {
        int kp = padded(k), whole = k - k % L, end = Math.min(r1 * MR, m), i = r0 * MR;
        if (trans && Transposes32.BLOCKS) {
            // L rows and L k-values at a time, turned in registers; the rows may cross a panel's edge
            int[] to = DESTINATIONS.get();
            for (; i + L <= end; i += L) {
                for (int qb = 0; qb < whole; qb += L) {
                    for (int c = 0; c < L; c++) to[c] = slot(i + c, qb, kp);
                    Transposes32.block(a, ao + qb * m + i, m, p, to);
                }
                for (int c = 0; c < L; c++) packRow(a, ao, true, m, k, i + c, whole, p, kp);
            }
        }
        for (; i < r1 * MR; i++) packRow(a, ao, trans, m, k, i, 0, p, kp);
    }

    /** Row i of op(A) from k-value q0 on (a multiple of L) into its panel: zero past k, and all zero past m. */
    private static void packRow(float[] a, int ao, boolean trans, int m, int k, int i, int q0, float[] p, int kp) {
        int at = slot(i, 0, kp), q = q0;
        if (i < m && !trans)
            for (int from = ao + i * k; q + L <= k; q += L) FloatVector.fromArray(S, a, from + q).intoArray(p, at + q * MR);
        for (; q < kp; q++) p[at + (q - q % L) * MR + q % L] = i >= m || q >= k ? 0 : trans ? a[ao + q * m + i] : a[ao + i * k + q];
    }

    /**
     * Computes the tiles in row panels [r0, r1) and column strips [s0, s1) of C [m, n] from packed A; B is op(B)
     * [k, n], stored [n, k] with {@code trans},
     * else [k, n]. Each strip of B is packed into this thread's buffer first, unless the buffer holds it already from
     * another piece of the same product (numbered {@code product}). Tiles that stick out past C's edge
     * are computed in a scratch tile and copied in. A finished strip, still in cache, then gets {@code bias} added
     * to its rows and, when {@code relu} is given, max(C, 0) written there too (either may be null). The
     * micro-kernel only ever writes its tile: a tile that adds to C (or to an earlier k-block) is computed apart
     * and added in, since C2 compiles a kernel's accumulate branch one way until it is taken, and the first
     * accumulating product (the Hessian's R-operator after training's passes) threw the compiled kernel away.
     */
    static void strips(float[] packedA, float[] b, int bo, boolean trans, float[] c, int co, int m, int n, int k,
                       boolean accumulate, float[] bias, int biaso, float[] relu, int reluo, int r0, int r1, int s0, int s1, long product) {
        float[][] buf = BUFFERS.get();
        long[] packed = PACKED.get();
        int panels = panels(m), kp = padded(k);
        if (buf[1].length < NR * kp) {
            buf[1] = new float[NR * kp];
            packed[0] = -1; // the strip it held is gone
        }
        if (buf[2].length < panels * MR * NR) buf[2] = new float[panels * MR * NR];
        float[] pb = buf[1], tiles = buf[2], tile = buf[3];
        for (int s = s0; s < s1; s++) {
            int j0 = s * NR, cols = Math.min(NR, n - j0);
            if (packed[0] != product || packed[1] != s) {
                packB(b, bo, trans, n, k, j0, cols, pb);
                packed[0] = product;
                packed[1] = s;
            }
            for (int q0 = 0; q0 < kp; q0 += KC) {
                int kc = Math.min(KC, kp - q0);
                boolean add = accumulate || q0 > 0;
                for (int r = r0; r < r1; r++) {
                    int i0 = r * MR;
                    boolean inside = MR <= m - i0 && cols == NR, adds = inside ? add : q0 > 0;
                    float[] to = inside ? c : tiles;
                    int at = inside ? co + i0 * n + j0 : r * MR * NR, ld = inside ? n : NR;
                    // one call site, so the JIT compiles the kernel on its own rather than inlining it twice
                    kernel(packedA, r * MR * kp + q0 * MR, pb, q0 * NR, kc, adds ? tile : to, adds ? 0 : at, adds ? NR : ld);
                    if (adds) addTile(tile, to, at, ld);
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

    /** out[oo + i ldo + j] += tile[i NR + j] over the MR x NR tile. */
    private static void addTile(float[] tile, float[] out, int oo, int ldo) {
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j += L)
                FloatVector.fromArray(S, out, oo + i * ldo + j).add(FloatVector.fromArray(S, tile, i * NR + j)).intoArray(out, oo + i * ldo + j);
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

    /** Packs columns [j0, j0 + cols) of op(B) as pb[q * NR + j], zero past cols and past k (up to whole blocks of L). */
    private static void packB(float[] b, int bo, boolean trans, int n, int k, int j0, int cols, float[] pb) {
        int q = 0;
        if (trans && cols == NR && Transposes32.BLOCKS) {
            // a transpose: L x L blocks of B's stored rows become L k-values of the strip; the NV blocks of one
            // k-range one after another, so each row of the strip is written whole while in cache (a strip of
            // hundreds of k-values outgrows L1)
            for (int qb = 0, from = bo + j0 * k; qb + L <= k; qb += L)
                for (int v = 0; v < NV; v++) Transposes32.block(b, from + v * L * k + qb, k, pb, qb * NR + v * L, NR);
            q = k - k % L;
        }
        if (trans && cols < NR) {
            // a strip past B's last columns (a last layer's few outputs): zeroed, then each stored row copied
            // along k into its column, with no test of each place
            java.util.Arrays.fill(pb, 0, k * NR, 0);
            for (int j = 0; j < cols; j++)
                for (int from = bo + (j0 + j) * k, i = 0; i < k; i++) pb[i * NR + j] = b[from + i];
        } else if (trans) {
            for (; q < k; q++)
                for (int j = 0; j < NR; j++) pb[q * NR + j] = b[bo + (j0 + j) * k + q];
        } else if (cols == NR) {
            // NV vectors per k-value: System.arraycopy's call costs more than the copy at this length
            for (int from = bo + j0; q < k; q++, from += n)
                for (int v = 0; v < NV; v++) FloatVector.fromArray(S, b, from + v * L).intoArray(pb, q * NR + v * L);
        } else {
            for (; q < k; q++) {
                System.arraycopy(b, bo + q * n + j0, pb, q * NR, cols);
                java.util.Arrays.fill(pb, q * NR + cols, q * NR + NR, 0);
            }
        }
        java.util.Arrays.fill(pb, k * NR, padded(k) * NR, 0);
    }

    /** The MR x NR tile: out[r, :] = sum over q of A(r, q) b[q, :], by the micro-kernel of the tile in use; k a multiple of L. */
    private static void kernel(float[] a, int ao, float[] b, int bo, int k, float[] out, int oo, int ldo) {
        switch (SHAPE) {
            case 0 -> MicroKernels32.k8x2(a, ao, b, bo, k, out, oo, ldo);
            case 1 -> MicroKernels32.k6x2(a, ao, b, bo, k, out, oo, ldo);
            case 2 -> MicroKernels32.k4x3(a, ao, b, bo, k, out, oo, ldo);
            default -> MicroKernels32.k4x2(a, ao, b, bo, k, out, oo, ldo);
        }
    }
}
