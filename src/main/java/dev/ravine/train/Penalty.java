package dev.ravine.train;

import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Network;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The lectures' explicit parameter-norm penalties (Goodfellow, Bengio &amp; Courville 2016, sections 7.1.1-7.1.2),
 * added to the training loss: {@code l1 * sum |w| + (l2 / 2) * sum w^2} over every layer's weight matrix, the
 * biases left free as the book advises. The L2 term's gradient, l2 w, is what SGD's {@code weight_decay=l2} adds,
 * but here it is part of the loss: it is reported, clipped together with the data gradient and seen by an adaptive
 * optimizer's moments, where AdamW's decoupled decay is not (Loshchilov &amp; Hutter 2019). The L1 term's
 * derivative at 0 is taken as 0, as {@code torch.sign} gives it; its curvature is 0 wherever it has one.
 */
public record Penalty(double l1, double l2) {
    public static final Penalty NONE = new Penalty(0, 0);

    public Penalty {
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new IllegalArgumentException("the L1 coefficient must be a finite number >= 0, got " + l1);
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new IllegalArgumentException("the L2 coefficient must be a finite number >= 0, got " + l2);
    }

    public boolean active() {
        return l1 != 0 || l2 != 0;
    }

    /** The penalty on one network's weights. */
    public On on(Network net) {
        List<int[]> ranges = new ArrayList<>();
        for (int l = 0; l < net.layers().size(); l++) {
            if (!(net.layers().get(l) instanceof Linear)) continue; // a normalization layer's scale is no weight matrix
            int at = net.parameterOffset(l);
            for (Layer.Parameter p : net.layers().get(l).parameters()) {
                if (p.name().equals("weight")) ranges.add(new int[] {at, at + p.size()});
                at += p.size();
            }
        }
        return new On(ranges.toArray(int[][]::new));
    }

    /** The penalty bound to the stretches [from, to) of a network's flat parameters that hold weight matrices. */
    public final class On {
        private final int[][] weights;
        /** The float loop's two sums, kept so a training step allocates nothing. */
        private final double[] sums = new double[2];

        private On(int[][] weights) {
            this.weights = weights;
        }

        /** The penalty at {@code theta} (flat, laid out like the network's parameters). */
        public double value(Tensor theta) {
            double abs = 0, squares = 0;
            for (int[] r : weights)
                for (int i = r[0]; i < r[1]; i++) {
                    double w = theta.f != null ? theta.f[theta.offset + i] : theta.d[theta.offset + i];
                    abs += Math.abs(w);
                    squares += w * w;
                }
            return l1 * abs + l2 / 2 * squares;
        }

        /** gradient += d penalty / d theta at {@code theta}, in the gradient's dtype. */
        public void addGradient(Tensor theta, Tensor gradient) {
            addGradientAndValue(theta, gradient);
        }

        /**
         * gradient += d penalty / d theta at {@code theta}, and the penalty there, in one pass over the weights (the
         * training loop needs both every step); plain loops per dtype, which the JIT keeps tight.
         */
        public double addGradientAndValue(Tensor theta, Tensor gradient) {
            double abs = 0, squares = 0;
            for (int[] r : weights) {
                int to = theta.offset + r[0], go = gradient.offset + r[0], n = r[1] - r[0];
                if (theta.f != null && gradient.f != null && to == go) {
                    if (dev.ravine.tensor.Kernels.vector() && dev.ravine.tensor.DoubleSums.fits())
                        dev.ravine.tensor.DoubleSums.l1l2(theta.f, gradient.f, to, to + n, (float) l1, (float) l2, sums);
                    else floats(theta.f, gradient.f, to, to + n, (float) l1, (float) l2, sums);
                    abs += sums[0];
                    squares += sums[1];
                } else {
                    for (int i = 0; i < n; i++) {
                        double wi = theta.f != null ? theta.f[to + i] : theta.d[to + i], gi = l1 * Math.signum(wi) + l2 * wi;
                        abs += Math.abs(wi);
                        squares += wi * wi;
                        if (gradient.f != null) gradient.f[go + i] += (float) gi;
                        else gradient.d[go + i] += gi;
                    }
                }
            }
            return l1 * abs + l2 / 2 * squares;
        }

        /**
         * The float32 loop over [from, to) of both arrays; {sum |w|, sum w^2} into {@code sums}. One index for both: with a separate
         * offset per array C2 compiled it ~7x slower (2.0 against 0.26 ms for 269k weights, measured).
         */
        private static void floats(float[] w, float[] g, int from, int to, float a, float b, double[] sums) {
            for (int i = from; i < to; i++) g[i] += a * Math.signum(w[i]) + b * w[i];
            double abs0 = 0, abs1 = 0, squares0 = 0, squares1 = 0; // two of each, so that the additions do not all wait on one sum
            int i = from;
            for (; i + 1 < to; i += 2) {
                float w0 = w[i], w1 = w[i + 1];
                abs0 += Math.abs(w0);
                abs1 += Math.abs(w1);
                squares0 += w0 * w0;
                squares1 += w1 * w1;
            }
            if (i < to) {
                abs0 += Math.abs(w[i]);
                squares0 += w[i] * w[i];
            }
            sums[0] = abs0 + abs1;
            sums[1] = squares0 + squares1;
        }

        /** hv += (d^2 penalty / d theta^2) v: l2 v on the weights (the L1 term has no curvature). */
        public void addHessianVector(double[] v, double[] hv) {
            for (int[] r : weights)
                for (int i = r[0]; i < r[1]; i++) hv[i] += l2 * v[i];
        }
    }
}
