package dev.ravine.nn;

import dev.ravine.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mlp:SIZES:ACTIVATION}, e.g. {@code mlp:64-32-10:relu} (full sizes) or {@code mlp:128-64:relu} (hidden
 * sizes only; input and output come from the data). A spec is read as full sizes when it has at least two and
 * starts at the data's input width; it must then end at the data's output width. The activation may carry its
 * module's hyperparameters, {@code mlp:128-64:leaky_relu:negative_slope=0.2} ({@link ActivationSpec}).
 */
public record MlpSpec(String text, List<Integer> sizes, ActivationSpec activation) {
    public MlpSpec {
        sizes = List.copyOf(sizes);
    }

    public static MlpSpec parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 4 || !parts[0].equals("mlp"))
            throw new UserError("--model " + text + ": expected mlp:SIZES:ACTIVATION, e.g. mlp:128-64:relu");
        List<Integer> sizes = new ArrayList<>();
        if (!parts[1].isEmpty()) {
            for (String s : parts[1].split("-", -1)) {
                int size;
                try {
                    size = Integer.parseInt(s.trim());
                } catch (NumberFormatException e) {
                    throw new UserError("--model " + text + ": size '" + s + "' is not a whole number");
                }
                if (size < 1 || size > 1_000_000) throw new UserError("--model " + text + ": size " + size + " is outside [1, 1000000]");
                sizes.add(size);
            }
        }
        ActivationSpec activation;
        try {
            activation = parts.length >= 3 ? ActivationSpec.parse(text, parts[2], parts.length == 4 ? parts[3] : "")
                    : ActivationSpec.of(Activation.RELU);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + text + ": " + e.getMessage());
        }
        return new MlpSpec(text, sizes, activation);
    }

    /** Every layer width from input to output, for data with {@code inputs} features and {@code outputs} outputs. */
    public int[] widths(int inputs, int outputs) {
        List<Integer> all = new ArrayList<>();
        if (sizes.size() >= 2 && sizes.get(0) == inputs) {
            int last = sizes.get(sizes.size() - 1);
            if (last != outputs)
                throw new UserError("--model " + text + ": read as full sizes since it starts at the data's " + inputs
                        + " inputs, but it ends at " + last + " and the data has " + outputs + " outputs"
                        + " (give hidden sizes only, or end at " + outputs + ")");
            all.addAll(sizes);
        } else {
            all.add(inputs);
            all.addAll(sizes);
            all.add(outputs);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
