package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise work of a training step on float arrays, vectorized: everything outside the matrix products
 * must cost next to nothing for the products to set the pace. Each method has the same meaning as its generic
 * counterpart in {@link Ops} or the layer that calls it.
 *
 * <p>Vectors never cross a method boundary here, so the optimizers' loops write out the gradient's sign and decay
 * and each moment's flush ({@code x.blend(0, |x| < MIN_NORMAL)}) in place: C2 inlines a small helper only while it
 * has not yet been compiled on its own into a big method, and a helper left out of line takes and returns its
 * vectors as objects on the heap, one allocation per vector of parameters (which run of the tests, and which
 * machine, decides that is a race of the compiler's queue). The scalar helpers below serve the tails.
 */
public final class Elementwise32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * Whether this width compares and blends in vector registers. x86's C2 compiles no mask of fewer than four lanes
     * (PrintIntrinsics: "not supported" for a 2-lane double vector's compare and blend, at 128 bits and with AVX2
     * alike), and leaves those operations to the Vector API's plain Java, which puts every vector on the heap: 7.7 MB
     * a step for Adam on the 64-128-64-10 test network in float64 at {@code -XX:MaxVectorSize=16}, seven times the
     * step's time. Without masks the kernels that compare and blend run their scalar tails over every entry, which
     * compute the same values; the others keep their vectors.
     */
    private static final boolean MASKS = S.length() >= 4;

    private Elementwise32() {
    }

    /** The vector loop's bound in a kernel that compares or blends: n's whole vectors where this width has masks, else 0. */
    private static int masked(int n) {
        return MASKS ? S.loopBound(n) : 0;
    }

    /** y[i, :] += bias for rows [0, rows). */
    static void addRowVector(float[] y, int yo, float[] bias, int bo, int rows, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < rows; i++) {
            int at = yo + i * n, j = 0;
            for (; j < bound; j += S.length())
                FloatVector.fromArray(S, y, at + j).add(FloatVector.fromArray(S, bias, bo + j)).intoArray(y, at + j);
            for (; j < n; j++) y[at + j] += bias[bo + j];
        }
    }

    /**
     * Row to + i of dst = row index[at + i] of src, for i in [0, count), rows w wide. Eight rows at a time, a vector
     * from each in turn: rows scattered over a large set each miss the cache, and eight streams of misses in flight
     * copied 128 rows of Fashion-MNIST in 66-77 us against 93-117 us one row after another (four: 69-81; sixteen:
     * 101-147, past what the core keeps in flight).
     */
    static void gatherRows(float[] src, int so, int w, int[] index, int at, float[] dst, int doff, int count) {
        int bound = S.loopBound(w);
        for (int i0 = 0; i0 < count; i0 += 8) {
            int rows = Math.min(8, count - i0);
            for (int j = 0; j < bound; j += S.length())
                for (int r = 0; r < rows; r++)
                    FloatVector.fromArray(S, src, so + index[at + i0 + r] * w + j).intoArray(dst, doff + (i0 + r) * w + j);
            for (int r = 0; r < rows; r++)
                for (int j = bound; j < w; j++) dst[doff + (i0 + r) * w + j] = src[so + index[at + i0 + r] * w + j];
        }
    }

    /** out[j] (+)= sum over rows of g[i, j] for the n columns from go, rows {@code stride} apart. */
    static void sumRows(float[] g, int go, float[] out, int oo, int rows, int n, int stride, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(out, oo, oo + n, 0f);
        int bound = S.loopBound(n);
        for (int i = 0; i < rows; i++) {
            int at = go + i * stride, j = 0;
            for (; j < bound; j += S.length())
                FloatVector.fromArray(S, out, oo + j).add(FloatVector.fromArray(S, g, at + j)).intoArray(out, oo + j);
            for (; j < n; j++) out[oo + j] += g[at + j];
        }
    }

    /** y = max(x, 0). */
    public static void relu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length())
            FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
    }

    /** out = in f'(x) for a squashing function f, from y = f(x): its backward pass, and its R-operator's forward. */
    static void squashScale(Squash f, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        boolean tanh = f == Squash.TANH;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yo + i);
            FloatVector d = tanh ? FloatVector.broadcast(S, 1f).sub(v.mul(v)) : v.mul(FloatVector.broadcast(S, 1f).sub(v));
            FloatVector.fromArray(S, in, io + i).mul(d).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = y[yo + i];
            out[oo + i] = in[io + i] * (tanh ? 1f - v * v : v * (1f - v));
        }
    }

    /**
     * rgx = f''(x) rx gy + f'(x) rgy for a squashing function f, from y = f(x): the R-operator of its backward pass,
     * {@code rx} null where R{x} is 0. Written as {@link Squash} writes f' and f'', so float64 gives its bits.
     */
    static void squashR(Squash f, float[] y, int yo, float[] rx, int ro, float[] gy, int go, float[] rgy, int rgo, float[] rgx,
                        int rgxo, int n) {
        boolean tanh = f == Squash.TANH;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yo + i), one = FloatVector.broadcast(S, 1f);
            FloatVector d = tanh ? one.sub(v.mul(v)) : v.mul(one.sub(v));
            FloatVector r = d.mul(FloatVector.fromArray(S, rgy, rgo + i));
            if (rx != null) {
                FloatVector second = tanh ? v.add(v).neg().mul(d) : d.mul(one.sub(v.add(v)));
                r = second.mul(FloatVector.fromArray(S, rx, ro + i)).mul(FloatVector.fromArray(S, gy, go + i)).add(r);
            }
            r.intoArray(rgx, rgxo + i);
        }
        for (; i < n; i++) {
            float v = y[yo + i], d = tanh ? 1f - v * v : v * (1f - v), r = d * rgy[rgo + i];
            if (rx != null) r = (tanh ? -(v + v) * d : d * (1f - (v + v))) * rx[ro + i] * gy[go + i] + r;
            rgx[rgxo + i] = r;
        }
    }

    /**
     * gx = gy where x &gt; 0, else 0 (PyTorch's ReLU'(0) = 0): zeros with gy blended in where x is positive. Not gy
     * blended with 0 where the mask's complement is set: the complement ({@code not()}, an xor with an all-true mask)
     * was left uncompiled in one CI run's training step, a 48-byte mask on the heap for every vector of activations.
     */
    public static void reluBackward(float[] x, int xo, float[] gy, int go, float[] gx, int gxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, gy, go + i), positive).intoArray(gx, gxo + i);
        }
        for (; i < n; i++) gx[gxo + i] = x[xo + i] > 0 ? gy[go + i] : 0f;
    }

    private static float flushSubnormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /**
     * One SGD step in float32, as PyTorch computes it: g = grad (negated when maximizing) + weightDecay p; with a
     * momentum buffer b (null without momentum), b = g on the first step, else momentum b + keep g, and g = g +
     * momentum b (Nesterov) or b; then p = p - lr g. The buffer is read from offset {@code so}; entries that fall
     * below the smallest normal number are set to 0, like Adam's moments.
     */
    public static void sgd(float[] p, int po, float[] g, int go, float[] b, int so, int n, float lr, float momentum, float keep,
                           float weightDecay, boolean first, boolean nesterov, boolean maximize) {
        FloatVector vlr = FloatVector.broadcast(S, lr), mu = FloatVector.broadcast(S, momentum), kv = FloatVector.broadcast(S, keep),
                wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i), gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            if (b != null) {
                FloatVector bv = gv;
                if (!first) {
                    bv = mu.mul(FloatVector.fromArray(S, b, so + i)).add(kv.mul(gv));
                    bv = bv.blend(0f, bv.abs().lt(Float.MIN_NORMAL));
                }
                bv.intoArray(b, so + i);
                gv = nesterov ? gv.add(mu.mul(bv)) : bv;
            }
            pv.sub(vlr.mul(gv)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) gi += weightDecay * p[po + i];
            if (b != null) {
                int si = so + i;
                b[si] = first ? gi : flushSubnormal(momentum * b[si] + keep * gi);
                gi = nesterov ? gi + momentum * b[si] : b[si];
            }
            p[po + i] -= lr * gi;
        }
    }

    /**
     * One RMSProp step in float32: g = grad (negated when maximizing) + weightDecay p; s = alpha s + (1 - alpha) g^2;
     * centered: a = alpha a + (1 - alpha) g, v = s - a^2 (else v = s); d = sqrt(v) + eps; with momentum b = momentum
     * b + g / d, p = p - lr b, else p = p - lr g / d. {@code avg} (centered) and {@code b} may be null; state from
     * offset {@code so}; decaying state below the smallest normal number is set to 0 (the mean with the square
     * average, so that s - a^2 stays non-negative). {@code oneMinusAlpha} comes
     * rounded from double, as PyTorch passes it: 1 - alpha in float arithmetic is another number.
     */
    public static void rmsprop(float[] p, int po, float[] g, int go, float[] sq, float[] avg, float[] b, int so, int n, float lr,
                               float alpha, float oneMinusAlpha, float eps, float momentum, float weightDecay, boolean maximize) {
        FloatVector va = FloatVector.broadcast(S, alpha), c = FloatVector.broadcast(S, oneMinusAlpha), ve = FloatVector.broadcast(S, eps),
                mu = FloatVector.broadcast(S, momentum), vlr = FloatVector.broadcast(S, lr), wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i), gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector v = va.mul(FloatVector.fromArray(S, sq, so + i)).add(c.mul(gv).mul(gv));
            v = v.blend(0f, v.abs().lt(Float.MIN_NORMAL));
            v.intoArray(sq, so + i);
            if (avg != null) {
                // a flushed square average flushes the mean too: a^2 <= s, and s - a^2 must not turn negative
                FloatVector a = va.mul(FloatVector.fromArray(S, avg, so + i)).add(c.mul(gv));
                a = a.blend(0f, a.abs().lt(Float.MIN_NORMAL)).blend(0f, v.eq(0f)); // two blends: no arithmetic on masks
                a.intoArray(avg, so + i);
                v = v.sub(a.mul(a));
            }
            FloatVector denom = v.sqrt().add(ve);
            if (b != null) {
                FloatVector bv = mu.mul(FloatVector.fromArray(S, b, so + i)).add(gv.div(denom));
                bv = bv.blend(0f, bv.abs().lt(Float.MIN_NORMAL));
                bv.intoArray(b, so + i);
                pv.sub(vlr.mul(bv)).intoArray(p, po + i);
            } else {
                pv.sub(vlr.mul(gv).div(denom)).intoArray(p, po + i);
            }
        }
        for (; i < n; i++) {
            float pi = p[po + i], gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) gi += weightDecay * pi;
            int si = so + i;
            float v = sq[si] = averageOfSquares(alpha, sq[si], oneMinusAlpha, gi);
            if (avg != null) {
                float a = avg[si] = v == 0 ? 0f : average(alpha, avg[si], oneMinusAlpha, gi);
                v = v - a * a;
            }
            float denom = (float) Math.sqrt(v) + eps;
            if (b != null) {
                b[si] = flushSubnormal(momentum * b[si] + gi / denom);
                p[po + i] = pi - lr * b[si];
            } else {
                p[po + i] = pi - lr * gi / denom;
            }
        }
    }

    /**
     * One Adagrad step in float32: g = grad (negated when maximizing) + weightDecay p; sum = sum + g^2;
     * p = p - lr g / (sqrt(sum) + eps), lr already decayed. The sum is read from offset {@code so}.
     */
    public static void adagrad(float[] p, int po, float[] g, int go, float[] sum, int so, int n, float lr, float eps, float weightDecay,
                               boolean maximize) {
        FloatVector vlr = FloatVector.broadcast(S, lr), ve = FloatVector.broadcast(S, eps), wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i), gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector sv = FloatVector.fromArray(S, sum, so + i).add(gv.mul(gv));
            sv.intoArray(sum, so + i);
            pv.sub(vlr.mul(gv).div(sv.sqrt().add(ve))).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float pi = p[po + i], gi = maximize ? -g[go + i] : g[go + i];
            if (weightDecay != 0) gi += weightDecay * pi;
            float s = sum[so + i] += gi * gi;
            p[po + i] = pi - lr * gi / ((float) Math.sqrt(s) + eps);
        }
    }

    /** beta m + (1 - beta) g, a moving average (a first moment), flushed below the smallest normal number. */
    private static float average(float beta, float m, float oneMinusBeta, float g) {
        return flushSubnormal(beta * m + oneMinusBeta * g);
    }

    /** beta v + ((1 - beta) g) g, a moving average of squares rounded in PyTorch's order, flushed likewise. */
    private static float averageOfSquares(float beta, float v, float oneMinusBeta, float g) {
        return flushSubnormal(beta * v + oneMinusBeta * g * g);
    }

    /** g negated when maximizing, plus L2 weight decay on p: the gradient every rule starts from. */
    private static float gradient(float g, float p, float weightDecay, boolean maximize) {
        if (maximize) g = -g;
        return weightDecay != 0 ? g + weightDecay * p : g;
    }

    /**
     * One Adamax step in float32: m = b1 m + (1 - b1) g, u = max(b2 u, |g| + eps), p = p - clr m / u (clr: lr over
     * the first bias correction). State from offset {@code so}; m flushed below the smallest normal number.
     */
    public static void adamax(float[] p, int po, float[] g, int go, float[] m, float[] u, int so, int n, float b1, float oneMinusB1, float b2,
                              float eps, float clr, float weightDecay, boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), c1 = FloatVector.broadcast(S, oneMinusB1), vb2 = FloatVector.broadcast(S, b2),
                ve = FloatVector.broadcast(S, eps), vclr = FloatVector.broadcast(S, clr), wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector mv = vb1.mul(FloatVector.fromArray(S, m, so + i)).add(c1.mul(gv));
            mv = mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL));
            FloatVector uv = vb2.mul(FloatVector.fromArray(S, u, so + i)).max(gv.abs().add(ve));
            mv.intoArray(m, so + i);
            uv.intoArray(u, so + i);
            pv.sub(vclr.mul(mv).div(uv)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize);
            m[si] = average(b1, m[si], oneMinusB1, gi);
            u[si] = Math.max(b2 * u[si], Math.abs(gi) + eps);
            p[po + i] = pi - clr * m[si] / u[si];
        }
    }

    /**
     * One ASGD step in float32: g = grad + weight_decay p, p = p decay - eta g, ax = ax + (p - ax) mu (ax = p when mu is 1).
     * The average from offset {@code so}.
     */
    public static void asgd(float[] p, int po, float[] g, int go, float[] ax, int so, int n, float decay, float eta, float mu, float weightDecay,
                            boolean maximize) {
        FloatVector vd = FloatVector.broadcast(S, decay), ve = FloatVector.broadcast(S, eta), vmu = FloatVector.broadcast(S, mu), wd = FloatVector.broadcast(S, weightDecay);
        boolean averaging = mu != 1;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            pv = pv.mul(vd).sub(ve.mul(gv));
            pv.intoArray(p, po + i);
            if (averaging) {
                FloatVector av = FloatVector.fromArray(S, ax, so + i);
                av.add(pv.sub(av).mul(vmu)).intoArray(ax, so + i);
            } else pv.intoArray(ax, so + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize);
            pi = pi * decay - eta * gi;
            p[po + i] = pi;
            ax[si] = averaging ? ax[si] + (pi - ax[si]) * mu : pi;
        }
    }

    /**
     * One Rprop step in float32: with t = g prev, s = clamp(s (etaPlus if t &gt; 0, etaMinus if t &lt; 0, else 1), min, max),
     * g = 0 where t &lt; 0, p = p - sign(g) s, prev = g. State from offset {@code so}.
     */
    public static void rprop(float[] p, int po, float[] g, int go, float[] prev, float[] step, int so, int n, float etaMinus, float etaPlus, float min, float max,
                             boolean maximize) {
        FloatVector vMinus = FloatVector.broadcast(S, etaMinus), vPlus = FloatVector.broadcast(S, etaPlus), vMin = FloatVector.broadcast(S, min),
                vMax = FloatVector.broadcast(S, max), zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            FloatVector turn = gv.mul(FloatVector.fromArray(S, prev, so + i));
            var grows = turn.compare(VectorOperators.GT, 0);
            var flips = turn.compare(VectorOperators.LT, 0);
            FloatVector sv = FloatVector.fromArray(S, step, so + i).mul(one.blend(vPlus, grows).blend(vMinus, flips)).max(vMin).min(vMax);
            gv = gv.blend(zero, flips); // no step now, and no growth at the next one
            FloatVector sign = zero.blend(one, gv.compare(VectorOperators.GT, 0)).sub(zero.blend(one, gv.compare(VectorOperators.LT, 0)));
            sv.intoArray(step, so + i);
            FloatVector.fromArray(S, p, po + i).sub(sign.mul(sv)).intoArray(p, po + i);
            gv.intoArray(prev, so + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float gi = maximize ? -g[go + i] : g[go + i], turn = gi * prev[si];
            float si2 = Math.min(Math.max(step[si] * (turn > 0 ? etaPlus : turn < 0 ? etaMinus : 1), min), max);
            if (turn < 0) gi = 0;
            step[si] = si2;
            p[po + i] = p[po + i] - Math.signum(gi) * si2;
            prev[si] = gi;
        }
    }

    /**
     * One Lion step in float32: p = p decay (decoupled weight decay, when {@code decayed}), p = p - lr sign(b1 m + (1 - b1) g),
     * m = b2 m + (1 - b2) g, each operation rounded as PyTorch's tensors round it. State from offset {@code so}, flushed
     * below the smallest normal number.
     */
    public static void lion(float[] p, int po, float[] g, int go, float[] m, int so, int n, float b1, float oneMinusB1, float b2, float oneMinusB2,
                            float lr, float decay, boolean decayed, boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), c1 = FloatVector.broadcast(S, oneMinusB1), vb2 = FloatVector.broadcast(S, b2),
                c2 = FloatVector.broadcast(S, oneMinusB2), vlr = FloatVector.broadcast(S, lr), vd = FloatVector.broadcast(S, decay), zero = FloatVector.zero(S),
                one = FloatVector.broadcast(S, 1);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i), gv = FloatVector.fromArray(S, g, go + i), mv = FloatVector.fromArray(S, m, so + i);
            if (maximize) gv = gv.neg();
            if (decayed) pv = pv.mul(vd);
            FloatVector c = vb1.mul(mv).add(c1.mul(gv)); // its sign: +1, -1, or 0
            FloatVector sign = zero.blend(one, c.compare(VectorOperators.GT, 0)).sub(zero.blend(one, c.compare(VectorOperators.LT, 0)));
            pv.sub(vlr.mul(sign)).intoArray(p, po + i);
            mv = vb2.mul(mv).add(c2.mul(gv));
            mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL)).intoArray(m, so + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float gi = maximize ? -g[go + i] : g[go + i], pi = decayed ? p[po + i] * decay : p[po + i];
            p[po + i] = pi - lr * Math.signum(b1 * m[si] + oneMinusB1 * gi);
            m[si] = average(b2, m[si], oneMinusB2, gi);
        }
    }

    /**
     * One Adadelta step in float32: s = rho s + (1 - rho) g^2, delta = sqrt(a + eps) / sqrt(s + eps) g,
     * a = rho a + (1 - rho) delta^2, p = p - lr delta. State from offset {@code so}, flushed below the smallest
     * normal number.
     */
    public static void adadelta(float[] p, int po, float[] g, int go, float[] sq, float[] acc, int so, int n, float rho, float oneMinusRho,
                                float eps, float lr, float weightDecay, boolean maximize) {
        FloatVector vr = FloatVector.broadcast(S, rho), c = FloatVector.broadcast(S, oneMinusRho), ve = FloatVector.broadcast(S, eps),
                vlr = FloatVector.broadcast(S, lr), wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector sv = vr.mul(FloatVector.fromArray(S, sq, so + i)).add(c.mul(gv).mul(gv));
            sv = sv.blend(0f, sv.abs().lt(Float.MIN_NORMAL));
            FloatVector av = FloatVector.fromArray(S, acc, so + i);
            FloatVector delta = av.add(ve).sqrt().div(sv.add(ve).sqrt()).mul(gv);
            sv.intoArray(sq, so + i);
            av = vr.mul(av).add(c.mul(delta).mul(delta));
            av.blend(0f, av.abs().lt(Float.MIN_NORMAL)).intoArray(acc, so + i);
            pv.sub(vlr.mul(delta)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize);
            sq[si] = averageOfSquares(rho, sq[si], oneMinusRho, gi);
            float delta = (float) Math.sqrt(acc[si] + eps) / (float) Math.sqrt(sq[si] + eps) * gi;
            acc[si] = averageOfSquares(rho, acc[si], oneMinusRho, delta);
            p[po + i] = pi - lr * delta;
        }
    }

    /**
     * One Yogi step in float32: v = v - (1 - b2) sign(v - g^2) g^2, m = b1 m + (1 - b1) g,
     * p = p - stepSize m / (sqrt(v) / bc2Sqrt + eps). State from offset {@code so}; m flushed below the smallest
     * normal number (v does not decay).
     */
    public static void yogi(float[] p, int po, float[] g, int go, float[] m, float[] v, int so, int n, float b1, float oneMinusB1,
                            float oneMinusB2, float stepSize, float bc2Sqrt, float eps, float weightDecay, boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), c1 = FloatVector.broadcast(S, oneMinusB1), c2 = FloatVector.broadcast(S, oneMinusB2),
                step = FloatVector.broadcast(S, stepSize), bc = FloatVector.broadcast(S, bc2Sqrt), ve = FloatVector.broadcast(S, eps),
                wd = FloatVector.broadcast(S, weightDecay), zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector g2 = gv.mul(gv), vv = FloatVector.fromArray(S, v, so + i), d = vv.sub(g2);
            FloatVector sign = zero.blend(1f, d.compare(VectorOperators.GT, 0f)).blend(-1f, d.compare(VectorOperators.LT, 0f));
            vv = vv.sub(c2.mul(sign).mul(g2));
            vv.intoArray(v, so + i);
            FloatVector mv = vb1.mul(FloatVector.fromArray(S, m, so + i)).add(c1.mul(gv));
            mv = mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL));
            mv.intoArray(m, so + i);
            pv.sub(step.mul(mv).div(vv.sqrt().div(bc).add(ve))).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize), g2 = gi * gi;
            v[si] = v[si] - oneMinusB2 * Math.signum(v[si] - g2) * g2;
            m[si] = average(b1, m[si], oneMinusB1, gi);
            p[po + i] = pi - stepSize * m[si] / ((float) Math.sqrt(v[si]) / bc2Sqrt + eps);
        }
    }

    /**
     * One RAdam step in float32: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, c = m / bc1; when rectified
     * p = p - c lr (sqrt(bc2) / (sqrt(v) + eps)) rect, else p = p - c lr. State from offset {@code so}, flushed below
     * the smallest normal number.
     */
    public static void radam(float[] p, int po, float[] g, int go, float[] m, float[] v, int so, int n, float b1, float oneMinusB1, float b2,
                             float oneMinusB2, float bc1, float sqrtBc2, float lr, boolean rectified, float rect, float eps, float weightDecay,
                             boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), c1 = FloatVector.broadcast(S, oneMinusB1), vb2 = FloatVector.broadcast(S, b2),
                c2 = FloatVector.broadcast(S, oneMinusB2), vbc1 = FloatVector.broadcast(S, bc1), vbc2 = FloatVector.broadcast(S, sqrtBc2),
                vlr = FloatVector.broadcast(S, lr), vrect = FloatVector.broadcast(S, rect), ve = FloatVector.broadcast(S, eps),
                wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector mv = vb1.mul(FloatVector.fromArray(S, m, so + i)).add(c1.mul(gv));
            mv = mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL));
            FloatVector vv = vb2.mul(FloatVector.fromArray(S, v, so + i)).add(c2.mul(gv).mul(gv));
            vv = vv.blend(0f, vv.abs().lt(Float.MIN_NORMAL));
            mv.intoArray(m, so + i);
            vv.intoArray(v, so + i);
            FloatVector step = mv.div(vbc1).mul(vlr);
            if (rectified) step = step.mul(vbc2.div(vv.sqrt().add(ve))).mul(vrect);
            pv.sub(step).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize);
            m[si] = average(b1, m[si], oneMinusB1, gi);
            v[si] = averageOfSquares(b2, v[si], oneMinusB2, gi);
            float step = m[si] / bc1 * lr;
            if (rectified) step = step * (sqrtBc2 / ((float) Math.sqrt(v[si]) + eps)) * rect;
            p[po + i] = pi - step;
        }
    }

    /**
     * One NAdam step in float32: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, d = sqrt(v / bc2) + eps,
     * p = p - gradientStep g / d, then p = p - momentumStep m / d (two in-place updates, as PyTorch makes them).
     * State from offset {@code so}, flushed below the smallest normal number.
     */
    public static void nadam(float[] p, int po, float[] g, int go, float[] m, float[] v, int so, int n, float b1, float oneMinusB1, float b2,
                             float oneMinusB2, float bc2, float gradientStep, float momentumStep, float eps, float weightDecay, boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), c1 = FloatVector.broadcast(S, oneMinusB1), vb2 = FloatVector.broadcast(S, b2),
                c2 = FloatVector.broadcast(S, oneMinusB2), vbc2 = FloatVector.broadcast(S, bc2), gs = FloatVector.broadcast(S, gradientStep),
                ms = FloatVector.broadcast(S, momentumStep), ve = FloatVector.broadcast(S, eps), wd = FloatVector.broadcast(S, weightDecay);
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (weightDecay != 0) gv = gv.add(wd.mul(pv));
            FloatVector mv = vb1.mul(FloatVector.fromArray(S, m, so + i)).add(c1.mul(gv));
            mv = mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL));
            FloatVector vv = vb2.mul(FloatVector.fromArray(S, v, so + i)).add(c2.mul(gv).mul(gv));
            vv = vv.blend(0f, vv.abs().lt(Float.MIN_NORMAL));
            mv.intoArray(m, so + i);
            vv.intoArray(v, so + i);
            FloatVector denom = vv.div(vbc2).sqrt().add(ve);
            pv.sub(gs.mul(gv).div(denom)).sub(ms.mul(mv).div(denom)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            int si = so + i;
            float pi = p[po + i], gi = gradient(g[go + i], pi, weightDecay, maximize);
            m[si] = average(b1, m[si], oneMinusB1, gi);
            v[si] = averageOfSquares(b2, v[si], oneMinusB2, gi);
            float denom = (float) Math.sqrt(v[si] / bc2) + eps;
            pi = pi - gradientStep * gi / denom;
            p[po + i] = pi - momentumStep * m[si] / denom;
        }
    }

    /**
     * One Adam/AdamW step in float32, as PyTorch computes it: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
     * vmax = max(vmax, v) when given, p = p - stepSize m / (sqrt(v or vmax) / bc2Sqrt + eps); g first negated when
     * maximizing and given L2 decay, or p first shrunk when decoupled. The state arrays m, v, vmax are read from
     * offset {@code so}, so threads can take slices. 1 - b1 and 1 - b2 come rounded from double, as PyTorch
     * passes them (in float arithmetic they are other numbers). The division by bc2Sqrt is a multiplication by its
     * inverse ({@code invBc2Sqrt}): one division fewer per entry, the costliest step of the loop, for one rounding.
     * Moments that fall below the smallest normal number are set to 0, as {@code torch.set_flush_denormal(True)}
     * would: a dead unit's moments decay geometrically into the subnormal range, where x86 arithmetic runs ~100x
     * slower (microcode assists), and there they move no parameter.
     */
    public static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int so, int n, float b1, float b2,
                            float oneMinusB1, float oneMinusB2, float stepSize, float invBc2Sqrt, float eps, float weightDecay, boolean decoupled, float shrink, boolean maximize) {
        FloatVector vb1 = FloatVector.broadcast(S, b1), vb2 = FloatVector.broadcast(S, b2), c1 = FloatVector.broadcast(S, oneMinusB1),
                c2 = FloatVector.broadcast(S, oneMinusB2), step = FloatVector.broadcast(S, stepSize), inv = FloatVector.broadcast(S, invBc2Sqrt),
                ve = FloatVector.broadcast(S, eps), wd = FloatVector.broadcast(S, weightDecay), sh = FloatVector.broadcast(S, shrink);
        boolean l2 = !decoupled && weightDecay != 0;
        int i = 0;
        for (int bound = masked(n); i < bound; i += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i), gv = FloatVector.fromArray(S, g, go + i);
            if (maximize) gv = gv.neg();
            if (decoupled) pv = pv.mul(sh);
            else if (l2) gv = gv.add(wd.mul(pv)); // g + wd p, two roundings, as the loop and the tail compute it
            FloatVector mv = vb1.mul(FloatVector.fromArray(S, m, so + i)).add(c1.mul(gv));
            mv = mv.blend(0f, mv.abs().lt(Float.MIN_NORMAL));
            FloatVector vv = vb2.mul(FloatVector.fromArray(S, v, so + i)).add(c2.mul(gv).mul(gv));
            vv = vv.blend(0f, vv.abs().lt(Float.MIN_NORMAL));
            mv.intoArray(m, so + i);
            vv.intoArray(v, so + i);
            if (vmax != null) {
                vv = vv.max(FloatVector.fromArray(S, vmax, so + i));
                vv.intoArray(vmax, so + i);
            }
            FloatVector denom = vv.sqrt().mul(inv).add(ve);
            pv.sub(step.mul(mv).div(denom)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float pi = p[po + i], gi = maximize ? -g[go + i] : g[go + i];
            if (decoupled) pi *= shrink;
            else if (l2) gi += weightDecay * pi;
            int si = so + i;
            m[si] = average(b1, m[si], oneMinusB1, gi);
            v[si] = averageOfSquares(b2, v[si], oneMinusB2, gi);
            float vi = v[si];
            if (vmax != null) vmax[si] = vi = Math.max(vmax[si], vi);
            p[po + i] = pi - stepSize * m[si] / ((float) Math.sqrt(vi) * invBc2Sqrt + eps);
        }
    }
}
