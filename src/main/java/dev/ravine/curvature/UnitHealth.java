package dev.ravine.curvature;

import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Activation;
import dev.ravine.nn.ActivationLayer;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of each hidden layer's units on the data: dead ReLU units (zero on every row, so no gradient ever
 * reaches their weights), saturated sigmoid and tanh units (in the flat region, derivative below 1% of its
 * maximum, on at least 99% of rows: vanishing gradients), and duplicated units (identical incoming weights, bias
 * and outgoing weights, the symmetry zero initialization leaves and gradient descent cannot break). Unit indices
 * are rows of the layer's weight matrix.
 */
public final class UnitHealth {
    static final double SATURATED_SHARE = 0.99, FLAT = 0.01;

    private UnitHealth() {
    }

    public static Map<String, Object> of(ModelOnData m) {
        return of(m.model.network, m.data);
    }

    /** The health of {@code net}'s hidden units on {@code data}. */
    public static Map<String, Object> of(Network net, Dataset data) {
        List<Layer> layers = net.layers();
        List<Map<String, Object>> out = new ArrayList<>();
        // hidden layer h: the h-th activation, the Linear layer before it (batch norm may sit between) and the next one
        for (int l = 0, hidden = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof ActivationLayer act)) continue;
            int in = l, next = l;
            while (!(layers.get(in) instanceof Linear)) in--;
            while (!(layers.get(next) instanceof Linear)) next++;
            int units = act.outputWidth();
            long[] active = new long[units], flat = new long[units];
            int n = data.rows();
            for (int start = 0; start < n; start += net.capacity()) {
                int rows = Math.min(net.capacity(), n - start);
                Tensor x = net.input(rows);
                for (int i = 0; i < rows; i++) Dataset.copyRow(data.x(), start + i, x, i);
                net.forward(false);
                Tensor pre = net.activation(l), post = net.activation(l + 1);
                for (int i = 0; i < rows; i++)
                    for (int u = 0; u < units; u++) {
                        double z = pre.get(i, u);
                        if (post.get(i, u) != 0) active[u]++;
                        if (act.f.derivative(z, post.get(i, u)) < FLAT * maxDerivative(act.f)) flat[u]++;
                    }
            }
            List<Integer> dead = new ArrayList<>(), saturated = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                if (act.f == Activation.RELU && active[u] == 0) dead.add(u);
                if ((act.f == Activation.SIGMOID || act.f == Activation.TANH) && flat[u] >= SATURATED_SHARE * n) saturated.add(u);
            }
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", hidden++);
            layer.put("units", units);
            layer.put("activation", act.f.label);
            layer.put("dead", dead);
            layer.put("saturated", saturated);
            layer.put("duplicates", duplicates(net, in, l, next, units));
            out.add(layer);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("layers", out);
        return result;
    }

    private static double maxDerivative(Activation f) {
        return f == Activation.SIGMOID ? 0.25 : 1;
    }

    /**
     * Groups of units whose incoming weights and bias (layer {@code in}), batch-norm scale and shift (between
     * {@code in} and the activation at {@code act}) and outgoing weights (layer {@code out}) are identical.
     */
    private static List<List<Integer>> duplicates(Network net, int in, int act, int out, int units) {
        Tensor[] incoming = parameters(net, in), outgoing = parameters(net, out);
        List<double[]> signatures = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            List<Double> sig = new ArrayList<>();
            for (int j = 0; j < incoming[0].cols; j++) sig.add(incoming[0].get(u, j));
            sig.add(incoming[1].get(u));
            for (int l = in + 1; l < act; l++) // per-unit parameters in between: batch norm's gamma and beta
                for (int at = net.parameterOffset(l); at < net.parameterOffset(l + 1); at += units) sig.add(net.parameters().get(at + u));
            for (int k = 0; k < outgoing[0].rows(); k++) sig.add(outgoing[0].get(k, u));
            signatures.add(sig.stream().mapToDouble(Double::doubleValue).toArray());
        }
        List<List<Integer>> groups = new ArrayList<>();
        boolean[] taken = new boolean[units];
        for (int u = 0; u < units; u++) {
            if (taken[u]) continue;
            List<Integer> group = new ArrayList<>(List.of(u));
            for (int v = u + 1; v < units; v++)
                if (!taken[v] && Arrays.equals(signatures.get(u), signatures.get(v))) {
                    group.add(v);
                    taken[v] = true;
                }
            if (group.size() > 1) groups.add(group);
        }
        return groups;
    }

    /** A Linear layer's weight [out, in] and bias [1, out] as views in the flat parameters. */
    private static Tensor[] parameters(Network net, int layer) {
        Layer linear = net.layers().get(layer);
        int at = net.parameterOffset(layer), in = linear.inputWidth(), out = linear.outputWidth();
        return new Tensor[] {net.parameters().view(at, out, in), net.parameters().view(at + out * in, 1, out)};
    }
}
