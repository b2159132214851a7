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
            for (int[] r : weights)
                for (int i = r[0]; i < r[1]; i++) {
                    double w = theta.f != null ? theta.f[theta.offset + i] : theta.d[theta.offset + i];
                    double g = l1 * Math.signum(w) + l2 * w;
                    if (gradient.f != null) gradient.f[gradient.offset + i] += (float) g;
                    else gradient.d[gradient.offset + i] += g;
                }
        }

        /** hv += (d^2 penalty / d theta^2) v: l2 v on the weights (the L1 term has no curvature). */
        public void addHessianVector(double[] v, double[] hv) {
            for (int[] r : weights)
                for (int i = r[0]; i < r[1]; i++) hv[i] += l2 * v[i];
        }
    }
}
