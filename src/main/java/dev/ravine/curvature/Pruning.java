package dev.ravine.curvature;

import dev.ravine.autodiff.Layer;
import dev.ravine.nn.Linear;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Removes (zeroes) the weights whose removal should cost least. Optimal Brain Damage (LeCun, Denker &amp; Solla 1990)
 * ranks weight i by its saliency h_ii w_i^2 / 2, the second-order estimate of the loss increase at a minimum
 * where the gradient vanishes; magnitude pruning by |w_i|. Biases are kept. Like the paper, h_ii is the
 * Levenberg-Marquardt (Gauss-Newton) approximation of the Hessian's diagonal, which is never negative: the exact
 * diagonal can be, and would rank large weights first. It is exact (one product per parameter) up to
 * {@link #EXACT_DIAGONAL_LIMIT} parameters, else estimated as the mean of z * (G z) over Rademacher vectors z
 * (Bekas, Kokiopoulou &amp; Saad 2007).
 */
public final class Pruning {
    public static final int EXACT_DIAGONAL_LIMIT = 2000;

    private Pruning() {
    }

    /** Indices of the weight-matrix entries (not biases) in the flat parameter vector. */
    static List<Integer> weightEntries(ModelOnData m) {
        List<Integer> out = new ArrayList<>();
        List<Layer> layers = m.model.network.layers();
        for (int l = 0; l < layers.size(); l++)
            if (layers.get(l) instanceof Linear lin) {
                int at = m.model.network.parameterOffset(l);
                for (int i = 0; i < lin.inputWidth() * lin.outputWidth(); i++) out.add(at + i);
            }
        return out;
    }

    /** The diagonal of an operator: exact for small ones, else a stochastic estimate from {@code samples} products. */
    public static double[] diagonal(LinearOperator h, int samples, long seed) {
        int n = h.dimension();
        double[] diag = new double[n], v = new double[n], hv = new double[n];
        if (n <= EXACT_DIAGONAL_LIMIT) {
            for (int i = 0; i < n; i++) {
                v[i] = 1;
                h.apply(v, hv);
                v[i] = 0;
                diag[i] = hv[i];
            }
            return diag;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < n; i++) v[i] = rng.nextBoolean() ? 1 : -1;
            h.apply(v, hv);
            for (int i = 0; i < n; i++) diag[i] += v[i] * hv[i] / samples;
        }
        return diag;
    }

    /** The weights with the given fraction of weight-matrix entries zeroed, lowest saliency first. */
    public static double[] prune(ModelOnData m, String method, double fraction, int samples, long seed) {
        List<Integer> entries = weightEntries(m);
        double[] w = m.weights, saliency = new double[w.length];
        if (method.equals("obd")) {
            double[] diag = diagonal(m.gaussNewton(), samples, seed);
            for (int i : entries) saliency[i] = 0.5 * diag[i] * w[i] * w[i];
        } else {
            for (int i : entries) saliency[i] = Math.abs(w[i]);
        }
        List<Integer> order = new ArrayList<>(entries);
        order.sort(Comparator.comparingDouble((Integer i) -> saliency[i]).thenComparingInt(i -> i));
        double[] pruned = w.clone();
        int count = (int) Math.round(fraction * entries.size());
        for (int k = 0; k < count; k++) pruned[order.get(k)] = 0;
        return pruned;
    }
}
