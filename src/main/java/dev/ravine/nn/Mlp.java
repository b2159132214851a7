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
 * weights file moves between the two unchanged. With dropout, {@code nn.Dropout} follows each hidden activation
 * and takes its index, as in {@code nn.Sequential(Linear, act, Dropout, Linear, ...)}: {@code 0.weight},
 * {@code 3.weight}, ...
 */
public final class Mlp {
    /** A parameter tensor under its {@code nn.Sequential} name, viewed at {@code start} in the flat parameter vector. */
    public record NamedParameter(String name, long[] shape, int start, Tensor values) {
    }

    public final MlpSpec spec;
    /** Dropout after each hidden activation, or null. */
    public final Dropout dropout;
    public final int[] widths;
    public final Network network;
    private final List<NamedParameter> named = new ArrayList<>();

    public Mlp(MlpSpec spec, int inputs, int outputs, DType dtype, int capacity) {
        this(spec, inputs, outputs, dtype, capacity, null, false);
    }

    /**
     * With {@code dropout} (null for none) after each hidden activation, dropping units in training when
     * {@code training} (a model built to be trained), else the identity (a saved model analysed or evaluated).
     */
    public Mlp(MlpSpec spec, int inputs, int outputs, DType dtype, int capacity, Dropout dropout, boolean training) {
        this.spec = spec;
        this.dropout = dropout;
        this.widths = spec.widths(inputs, outputs);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(new Linear(widths[i], widths[i + 1]));
            if (i + 2 < widths.length) {
                layers.add(new ActivationLayer(spec.activation(), widths[i + 1]));
                if (dropout != null) layers.add(new DropoutLayer(dropout, widths[i + 1], layers.size(), training));
            }
        }
        network = new Network(layers, dtype, capacity);
        Tensor flat = network.parameters();
        for (int l = 0; l < layers.size(); l++) {
            int at = network.parameterOffset(l);
            for (Layer.Parameter p : layers.get(l).parameters()) {
                named.add(new NamedParameter(l + "." + p.name(), p.shape(), at, flat.view(at, p.rows(), p.cols())));
                at += p.size();
            }
        }
    }

    /**
     * Ends training: with scale-weights dropout, the inference factor 1 - p moves into the weights of the layer
     * after each dropout layer, so the model saved is the plain network PyTorch's inference runs.
     */
    public void endTraining() {
        var layers = network.layers();
        for (int l = 0; l + 1 < layers.size(); l++) {
            if (!(layers.get(l) instanceof DropoutLayer d) || d.inferenceScale() == 1) continue;
            Layer.Parameter weight = layers.get(l + 1).parameters().get(0);
            Tensor w = network.parameters().view(network.parameterOffset(l + 1), weight.rows(), weight.cols());
            for (int i = 0; i < w.size(); i++) w.set(i, w.get(i) * d.inferenceScale());
            d.folded();
        }
    }

    public List<NamedParameter> namedParameters() {
        return named;
    }

    /** The architecture in words, e.g. {@code 64-128-10 relu}. */
    public String describe() {
        return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " " + spec.activation().label;
    }

    /** The parameters as safetensors entries, in {@code nn.Sequential} order. */
    public List<Safetensors.Named> tensors() {
        return tensors(network.parameters());
    }

    /** Any flat vector laid out like the parameters (initial weights, a direction), as named entries. */
    public List<Safetensors.Named> tensors(Tensor flat) {
        if (flat.size() != network.parameterCount())
            throw new IllegalArgumentException("flat vector of " + flat.size() + " entries for " + network.parameterCount() + " parameters");
        return named.stream().map(p -> new Safetensors.Named(p.name(), p.shape(),
                flat.view(p.start(), p.values().rows(), p.values().cols))).toList();
    }

    /** Copies weights read from {@code file} into this model, checking that names and shapes match exactly. */
    public void load(Map<String, Safetensors.Entry> weights, Path file) {
        Set<String> expected = named.stream().map(NamedParameter::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
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
            for (int i = 0; i < e.values().length; i++) p.values().set(i, e.values()[i]);
        }
    }
}
