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
public record UnitHealth(List<Hidden> layers) {
    static final double SATURATED_SHARE = 0.99, FLAT = 0.01;

    /** One hidden layer (0 = the first): its units, activation, and the units found dead, saturated or duplicated. */
    public record Hidden(int layer, int units, Activation activation, List<Integer> dead, List<Integer> saturated, List<List<Integer>> duplicates) {
        public Hidden {
            dead = List.copyOf(dead);
            saturated = List.copyOf(saturated);
            duplicates = List.copyOf(duplicates);
        }

        public double deadShare() {
            return dead.size() / (double) units;
        }

        public double saturatedShare() {
            return saturated.size() / (double) units;
        }

        /** Under the names of the command-line contract ({@code ravine units --format json}). */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("units", units);
            m.put("activation", activation.label);
            m.put("dead", dead);
            m.put("saturated", saturated);
            m.put("duplicates", duplicates);
            return m;
        }
    }

    public UnitHealth {
        layers = List.copyOf(layers);
    }

    public Map<String, Object> asMap() {
        return Map.of("layers", layers.stream().map(Hidden::asMap).toList());
    }

    public static UnitHealth of(ModelOnData m) {
        return of(m.model.network, m.data);
    }

    /** The health of {@code net}'s hidden units on {@code data}, from one inference pass over the rows. */
    public static UnitHealth of(Network net, Dataset data) {
        return counted(net, data).health();
    }

    /**
     * How many of a hidden layer's units are dead and how many saturated (0 where its activation has no such state):
     * what an instrument logs at every measurement, without the search for duplicated units, which compares the
     * weights of every pair of units.
     */
    public record Counted(int layer, int units, Activation activation, int dead, int saturated) {
        public double deadShare() {
            return dead / (double) units;
        }

        public double saturatedShare() {
            return saturated / (double) units;
        }
    }

    /** The dead and saturated units of {@code net}'s hidden layers on {@code data}, from one inference pass over the rows. */
    public static List<Counted> countsOf(Network net, Dataset data) {
        return counted(net, data).counts();
    }

    /**
     * The dead and saturated units of {@code net}'s hidden layers on the rows of its last forward pass, read from the
     * activations that pass left (a gradient's pass, say, so that an instrument measuring both needs one forward pass,
     * not two).
     */
    public static List<Counted> countsOfLastPass(Network net) {
        Counts counts = new Counts(net);
        counts.add(net.activation(0).rows());
        return counts.counts();
    }

    private static Counts counted(Network net, Dataset data) {
        Counts counts = new Counts(net);
        int n = data.rows();
        for (int start = 0; start < n; start += net.capacity()) {
            int rows = Math.min(net.capacity(), n - start);
            Tensor x = net.input(rows);
            for (int i = 0; i < rows; i++) Dataset.copyRow(data.x(), start + i, x, i);
            net.forward(false);
            counts.add(rows);
        }
        return counts;
    }

    /**
     * Per hidden unit, over the rows seen so far: whether a ReLU unit was active on any, and how many a sigmoid or
     * tanh unit's derivative was flat on (the states the health reports; other activations have neither).
     */
    private static final class Counts {
        final Network net;
        final List<Layer> layers;
        final List<Integer> at = new ArrayList<>(); // the activation layers' indices
        final boolean[][] alive; // a ReLU unit was nonzero on some row
        final long[][] flat;
        long rows;

        Counts(Network net) {
            this.net = net;
            layers = net.layers();
            for (int l = 0; l < layers.size(); l++) if (layers.get(l) instanceof ActivationLayer) at.add(l);
            alive = new boolean[at.size()][];
            flat = new long[at.size()][];
            for (int h = 0; h < at.size(); h++) {
                alive[h] = new boolean[layers.get(at.get(h)).outputWidth()];
                flat[h] = new long[alive[h].length];
            }
        }

        /** The first {@code rows} rows of the activations the network holds now. */
        void add(int rows) {
            this.rows += rows;
            for (int h = 0; h < at.size(); h++) {
                int l = at.get(h);
                Activation f = activation(h);
                Tensor pre = net.activation(l), post = net.activation(l + 1);
                if (f == Activation.RELU) { // a unit is alive once it is nonzero on a row: most are on their first
                    boolean[] a = alive[h];
                    for (int u = 0; u < a.length; u++)
                        for (int i = 0; i < rows && !a[u]; i++) a[u] = post.get(i, u) != 0;
                } else if (saturates(f)) {
                    long[] fl = flat[h];
                    double threshold = FLAT * maxDerivative(f);
                    double[] z = new double[pre.cols], y = new double[post.cols];
                    for (int i = 0; i < rows; i++) { // a row at a time: Tensor.get per value tests the dtype each time
                        pre.readRow(i, z);
                        post.readRow(i, y);
                        for (int u = 0; u < fl.length; u++) if (f.derivative(z[u], y[u]) < threshold) fl[u]++;
                    }
                }
            }
        }

        Activation activation(int h) {
            return ((ActivationLayer) layers.get(at.get(h))).kind;
        }

        List<Integer> dead(int h) {
            List<Integer> dead = new ArrayList<>();
            if (activation(h) == Activation.RELU) for (int u = 0; u < alive[h].length; u++) if (!alive[h][u]) dead.add(u);
            return dead;
        }

        List<Integer> saturated(int h) {
            List<Integer> saturated = new ArrayList<>();
            if (saturates(activation(h))) for (int u = 0; u < flat[h].length; u++) if (flat[h][u] >= SATURATED_SHARE * rows) saturated.add(u);
            return saturated;
        }

        UnitHealth health() {
            List<Hidden> out = new ArrayList<>();
            // hidden layer h: the h-th activation, the Linear layer before it (batch norm may sit between) and the next one
            for (int h = 0; h < at.size(); h++) {
                int l = at.get(h), in = l, next = l;
                while (!(layers.get(in) instanceof Linear)) in--;
                while (!(layers.get(next) instanceof Linear)) next++;
                int units = alive[h].length;
                out.add(new Hidden(h, units, activation(h), dead(h), saturated(h), duplicates(net, in, l, next, units)));
            }
            return new UnitHealth(out);
        }

        List<Counted> counts() {
            List<Counted> out = new ArrayList<>();
            for (int h = 0; h < at.size(); h++) out.add(new Counted(h, alive[h].length, activation(h), dead(h).size(), saturated(h).size()));
            return out;
        }
    }

    private static boolean saturates(Activation f) {
        return f == Activation.SIGMOID || f == Activation.TANH;
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
        int between = 0;
        for (int l = in + 1; l < act; l++) between += (net.parameterOffset(l + 1) - net.parameterOffset(l)) / units;
        double[][] signatures = new double[units][incoming[0].cols + 1 + between + outgoing[0].rows()];
        for (int u = 0; u < units; u++) {
            double[] sig = signatures[u];
            int k = 0;
            for (int j = 0; j < incoming[0].cols; j++) sig[k++] = incoming[0].get(u, j);
            sig[k++] = incoming[1].get(u);
            for (int l = in + 1; l < act; l++) // per-unit parameters in between: batch norm's gamma and beta
                for (int p = net.parameterOffset(l); p < net.parameterOffset(l + 1); p += units) sig[k++] = net.parameters().get(p + u);
            for (int o = 0; o < outgoing[0].rows(); o++) sig[k++] = outgoing[0].get(o, u);
        }
        List<List<Integer>> groups = new ArrayList<>();
        boolean[] taken = new boolean[units];
        for (int u = 0; u < units; u++) {
            if (taken[u]) continue;
            List<Integer> group = new ArrayList<>(List.of(u));
            for (int v = u + 1; v < units; v++)
                if (!taken[v] && Arrays.equals(signatures[u], signatures[v])) {
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
