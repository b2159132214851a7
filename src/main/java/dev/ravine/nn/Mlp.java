package dev.ravine.nn;

import dev.ravine.UserError;
import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A multilayer perceptron laid out as PyTorch's {@code nn.Sequential(Linear, act, Linear, act, ..., Linear)},
 * so its parameters carry the same names ({@code 0.weight}, {@code 0.bias}, {@code 2.weight}, ...) and a
 * weights file moves between the two unchanged. With batch norm, {@code nn.BatchNorm1d} sits between each hidden
 * Linear layer and its activation; with dropout, {@code nn.Dropout} follows each hidden activation. Each takes its
 * index, as in {@code nn.Sequential(Linear, BatchNorm1d, act, Dropout, Linear, ...)}: {@code 0.weight},
 * {@code 1.weight}, {@code 1.running_mean}, ..., {@code 4.weight}. Batch norm's running statistics are the
 * network's buffers, saved and loaded with the parameters as PyTorch's {@code state_dict} holds them.
 */
public final class Mlp {
    /** A parameter tensor under its {@code nn.Sequential} name, viewed at {@code start} in the flat parameter vector. */
    public record NamedParameter(String name, long[] shape, int start, Tensor values) {
    }

    public final MlpSpec spec;
    /** A buffer under its {@code nn.Sequential} name, viewed at {@code start} in the network's flat buffers. */
    public record NamedBuffer(String name, long[] shape, int start, Tensor values, boolean integral) {
    }

    /** Dropout after each hidden activation, or null. */
    public final Dropout dropout;
    /** Whether batch norm sits between each hidden Linear layer and its activation. */
    public final boolean batchNorm;
    public final int[] widths;
    public final Network network;
    private final List<NamedParameter> named = new ArrayList<>();
    private final List<NamedBuffer> namedBuffers = new ArrayList<>();
    /** Parameters and buffers in {@code state_dict} order: each layer's parameters, then its buffers. */
    private final List<Record> stateDict = new ArrayList<>();

    public Mlp(MlpSpec spec, int inputs, int outputs, DType dtype, int capacity) {
        this(spec, inputs, outputs, dtype, capacity, null, false, false);
    }

    /**
     * With {@code dropout} (null for none) after each hidden activation, dropping units in training when
     * {@code training} (a model built to be trained), else the identity (a saved model analysed or evaluated); and
     * with {@code batchNorm}, a {@code BatchNorm1d} before each hidden activation, its scale 1 and shift 0.
     */
    public Mlp(MlpSpec spec, int inputs, int outputs, DType dtype, int capacity, Dropout dropout, boolean batchNorm, boolean training) {
        this.spec = spec;
        this.dropout = dropout;
        this.batchNorm = batchNorm;
        this.widths = spec.widths(inputs, outputs);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(new Linear(widths[i], widths[i + 1]));
            if (i + 2 < widths.length) {
                if (batchNorm) layers.add(new BatchNormLayer(widths[i + 1]));
                layers.add(new ActivationLayer(spec.activation(), widths[i + 1]));
                if (dropout != null) layers.add(new DropoutLayer(dropout, widths[i + 1], layers.size(), training));
            }
        }
        network = new Network(layers, dtype, capacity);
        Tensor flat = network.parameters(), state = network.buffers();
        for (int l = 0, stateAt = 0; l < layers.size(); l++) {
            int at = network.parameterOffset(l);
            for (Layer.Parameter p : layers.get(l).parameters()) {
                named.add(new NamedParameter(l + "." + p.name(), p.shape(), at, flat.view(at, p.rows(), p.cols())));
                stateDict.add(named.getLast());
                at += p.size();
            }
            for (Layer.Buffer b : layers.get(l).buffers()) {
                namedBuffers.add(new NamedBuffer(l + "." + b.name(), b.shape(), stateAt, state.view(stateAt, 1, b.size()), b.integral()));
                stateDict.add(namedBuffers.getLast());
                stateAt += b.size();
            }
        }
        resetBatchNorm();
    }

    /** Batch norm's scale to 1 and shift to 0, as {@code BatchNorm1d} starts; the other layers are left alone. */
    void resetBatchNorm() {
        for (NamedParameter p : named) {
            Layer layer = network.layers().get(Integer.parseInt(p.name().substring(0, p.name().indexOf('.'))));
            if (layer instanceof BatchNormLayer) p.values().fill(p.name().endsWith(".weight") ? 1 : 0);
        }
    }

    /**
     * Which statistics batch norm normalizes with outside training: the running estimates ({@code false}: the model
     * as {@code model.eval()} runs it) or the rows of each pass (true: the loss that training minimizes, the
     * training-mode landscape), without updating the running ones. Has no effect on a model without batch norm.
     */
    public void batchNormWithBatchStatistics(boolean batch) {
        for (Layer layer : network.layers()) if (layer instanceof BatchNormLayer bn) bn.inferenceWithBatchStatistics(batch);
    }

    /** Whether a weights file holds batch-norm layers ({@code N.running_mean} tensors), as PyTorch saves them. */
    public static boolean holdsBatchNorm(Map<String, Safetensors.Entry> weights) {
        return weights.keySet().stream().anyMatch(name -> name.endsWith(".running_mean"));
    }

    /**
     * Ends training: with scale-weights dropout, the inference factor 1 - p moves into the weights of the layer
     * after each dropout layer, so the model saved is the plain network PyTorch's inference runs.
     */
    public void endTraining() {
        fold(network.parameters());
        for (Layer layer : network.layers()) if (layer instanceof DropoutLayer d) d.folded();
    }

    /**
     * {@code weights} (laid out like the parameters) as the plain network inference runs: with scale-weights
     * dropout not yet folded, a copy with the factors applied (what a checkpoint's model file holds); else as given.
     */
    public Tensor inferenceWeights(Tensor weights) {
        boolean pending = network.layers().stream().anyMatch(l -> l instanceof DropoutLayer d && d.inferenceScale() != 1);
        if (!pending) return weights;
        Tensor copy = Tensor.zeros(weights.dtype, 1, weights.size());
        weights.copyTo(copy);
        fold(copy);
        return copy;
    }

    /** Multiplies the weight matrix after each unfolded scale-weights dropout layer by its factor, in {@code flat}. */
    private void fold(Tensor flat) {
        var layers = network.layers();
        for (int l = 0; l + 1 < layers.size(); l++) {
            if (!(layers.get(l) instanceof DropoutLayer d) || d.inferenceScale() == 1) continue;
            Layer.Parameter weight = layers.get(l + 1).parameters().get(0);
            Tensor w = flat.view(network.parameterOffset(l + 1), weight.rows(), weight.cols());
            for (int i = 0; i < w.size(); i++) w.set(i, w.get(i) * d.inferenceScale());
        }
    }

    public List<NamedParameter> namedParameters() {
        return named;
    }

    /** The architecture in words, e.g. {@code 64-128-10 relu}. */
    public String describe() {
        return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " " + spec.activation().label()
                + (batchNorm ? " with batch norm" : "");
    }

    public List<NamedBuffer> namedBuffers() {
        return namedBuffers;
    }

    /** The parameters and buffers as safetensors entries, in the order of PyTorch's {@code state_dict}. */
    public List<Safetensors.Named> tensors() {
        return tensors(network.parameters(), network.buffers());
    }

    /**
     * Flat vectors laid out like the parameters and the buffers (the initial weights and statistics, say) as named
     * entries in {@code state_dict} order: each layer's parameters, then its buffers.
     */
    public List<Safetensors.Named> tensors(Tensor flat, Tensor buffers) {
        if (flat.size() != network.parameterCount())
            throw new IllegalArgumentException("flat vector of " + flat.size() + " entries for " + network.parameterCount() + " parameters");
        if (buffers.size() != network.buffers().size())
            throw new IllegalArgumentException("buffer vector of " + buffers.size() + " entries for " + network.buffers().size());
        List<Safetensors.Named> out = new ArrayList<>();
        for (Record slot : stateDict) {
            if (slot instanceof NamedParameter p) out.add(new Safetensors.Named(p.name(), p.shape(), flat.view(p.start(), p.values().rows(), p.values().cols)));
            else if (slot instanceof NamedBuffer b) out.add(new Safetensors.Named(b.name(), b.shape(), buffers.view(b.start(), 1, b.values().size()), b.integral()));
        }
        return out;
    }



    /**
     * Copies weights read from {@code file} into this model, checking that names and shapes match exactly; batch
     * norm's running statistics and counter come with them, and must be a variance of 0 or more and a whole
     * count of 0 or more.
     */
    public void load(Map<String, Safetensors.Entry> weights, Path file) {
        Set<String> expected = named.stream().map(NamedParameter::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        namedBuffers.forEach(b -> expected.add(b.name()));
        for (String name : weights.keySet())
            if (!expected.contains(name))
                throw new UserError(file + ": unexpected tensor '" + name + "' for " + spec.text() + " (" + describe()
                        + ", which has " + String.join(", ", expected) + ")");
        for (NamedParameter p : named) {
            Safetensors.Entry e = weights.get(p.name());
            if (e == null)
                throw new UserError(file + ": no tensor '" + p.name() + "', which " + spec.text() + " (" + describe() + ") needs");
            if (!Arrays.equals(e.shape(), p.shape()))
                throw new UserError(file + ": tensor '" + p.name() + "' has shape " + e.shapeString() + ", " + spec.text()
                        + " (" + describe() + ") expects " + Arrays.toString(p.shape()));
            for (int i = 0; i < e.values().length; i++)
                if (!Double.isFinite(e.values()[i]))
                    throw new UserError(file + ": tensor '" + p.name() + "' holds " + e.values()[i] + " at index " + i + "; weights must be finite numbers");
            for (int i = 0; i < e.values().length; i++) p.values().set(i, e.values()[i]);
        }
        for (NamedBuffer b : namedBuffers) {
            Safetensors.Entry e = weights.get(b.name());
            if (e == null)
                throw new UserError(file + ": no tensor '" + b.name() + "', which " + spec.text() + " with batch norm needs");
            if (!Arrays.equals(e.shape(), b.shape()))
                throw new UserError(file + ": tensor '" + b.name() + "' has shape " + e.shapeString() + ", expected " + Arrays.toString(b.shape()));
            for (double v : e.values()) {
                boolean valid = b.integral() ? v >= 0 && v == Math.rint(v) : b.name().endsWith(".running_var") ? v >= 0 && v < Double.POSITIVE_INFINITY
                        : Double.isFinite(v);
                if (!valid)
                    throw new UserError(file + ": tensor '" + b.name() + "' holds " + v + ", expected "
                            + (b.integral() ? "a whole count of 0 or more" : b.name().endsWith(".running_var") ? "a finite variance of 0 or more" : "finite values"));
            }
            for (int i = 0; i < e.values().length; i++) b.values().set(i, e.values()[i]);
        }
    }
}
