package dev.ravine.track;

import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.UnitHealth;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.VectorMath;
import java.util.List;
import java.util.Map;

/**
 * {@code --track layers}: per linear layer k, on the probe's rows, the norm of the loss's gradient
 * ({@code layer_k_grad_norm}), how far the layer's weights moved since the last measurement relative to their size
 * ({@code layer_k_update_ratio}, |W - W_before| / |W|, the ratio whose ~1e-3 per step is the usual rule of thumb), and
 * per hidden layer the share of dead ReLU or saturated sigmoid/tanh units ({@code layer_k_dead_share},
 * {@code layer_k_saturated_share}).
 */
final class Layers extends Instrument {
    /** The weights at the last measurement (null before the first) and a spare array; the gradient. */
    private double[] before, spare, g;

    Layers(Network trained, Probe probe, Track track, TrackLog log) {
        super(trained, probe, track, log);
    }

    @Override
    void measure(long moment, Map<String, Number> into, double lr) {
        Network net = probe.model().network;
        double[] w = VectorMath.reuse(spare, probe.weights().length);
        System.arraycopy(probe.weights(), 0, w, 0, w.length);
        if (g == null) g = new double[w.length];
        probe.objective().valueAndGradient(probe.weights(), g);
        // the gradient's forward pass over all the probe's rows, when they fit in one, left the activations to count
        List<UnitHealth.Counted> units = probe.rows().rows() <= net.capacity() ? UnitHealth.countsOfLastPass(net) : UnitHealth.countsOf(net, probe.rows());
        figures(net, w, g, before, units, into);
        spare = before;
        before = w;
    }

    /**
     * The figures of network {@code net} at weights {@code w} with gradient {@code g}: each linear layer's gradient
     * norm, and its update ratio against the weights {@code before} (none when null), then the shares of the hidden
     * layers' units counted in {@code units}.
     */
    static void figures(Network net, double[] w, double[] g, double[] before, List<UnitHealth.Counted> units, Map<String, Number> into) {
        List<Layer> layers = net.layers();
        for (int l = 0, k = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof Linear)) continue;
            int from = net.parameterOffset(l), to = net.parameterOffset(l + 1);
            double gg = 0, ww = 0, dd = 0;
            for (int i = from; i < to; i++) {
                gg += g[i] * g[i];
                ww += w[i] * w[i];
                if (before != null) dd += (w[i] - before[i]) * (w[i] - before[i]);
            }
            into.put("layer_" + k + "_grad_norm", Math.sqrt(gg));
            if (before != null) into.put("layer_" + k + "_update_ratio", Math.sqrt(dd / ww));
            k++;
        }
        for (UnitHealth.Counted u : units) {
            if (u.activation() == Activation.RELU) into.put("layer_" + u.layer() + "_dead_share", u.deadShare());
            if (u.activation() == Activation.TANH || u.activation() == Activation.SIGMOID) into.put("layer_" + u.layer() + "_saturated_share", u.saturatedShare());
        }
    }
}
