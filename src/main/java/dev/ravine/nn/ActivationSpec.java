package dev.ravine.nn;

import dev.ravine.optim.Spec;
import dev.ravine.tensor.Pointwise;

/**
 * An activation as a model spec names it: its kind, with the hyperparameters of torch.nn's module where they are
 * given, by PyTorch's names and with its defaults: {@code leaky_relu:negative_slope=0.2} ({@code LeakyReLU}),
 * {@code elu:alpha=0.5} ({@code ELU}), {@code softplus:beta=2,threshold=10} ({@code Softplus}) and
 * {@code gelu:approximate=tanh} ({@code GELU}). At the defaults the function is the kind itself; other values take the
 * {@link TunedActivation} forms, whose passes take the kind's kernels, given the values (GELU's tanh form has kernels
 * of its own).
 *
 * @param kind     what the activation is: which units count as dead or saturated, the module's name
 * @param function what the layers compute, with its derivatives
 * @param label    as {@link #parse} reads it back: the name, and the keys whose values differ from the defaults
 */
public record ActivationSpec(Activation kind, Pointwise function, String label) {
    /** The kind at PyTorch's defaults. */
    public static ActivationSpec of(Activation kind) {
        return new ActivationSpec(kind, kind, kind.label);
    }

    /**
     * {@code name} with its {@code key=value,...} pairs (none where empty), from the model spec {@code text} that
     * messages quote: an unknown name is an {@link IllegalArgumentException}, a wrong key or value a
     * {@link dev.ravine.UserError} naming it.
     */
    static ActivationSpec parse(String text, String name, String keys) {
        Activation kind = Activation.parse(name);
        Spec spec = new Spec("--model", text, name, Spec.pairs("--model", text, keys));
        if (spec.values().isEmpty()) return of(kind);
        return switch (kind) {
            case LEAKY_RELU -> {
                LeakyReluKeys k = spec.bind(LeakyReluKeys.DEFAULT);
                yield k.equals(LeakyReluKeys.DEFAULT) ? of(kind)
                        : new ActivationSpec(kind, new TunedActivation.LeakyRelu(k.negativeSlope()), kind.label + ":negative_slope=" + k.negativeSlope());
            }
            case ELU -> {
                EluKeys k = spec.bind(EluKeys.DEFAULT);
                yield k.equals(EluKeys.DEFAULT) ? of(kind) : new ActivationSpec(kind, new TunedActivation.Elu(k.alpha()), kind.label + ":alpha=" + k.alpha());
            }
            case SOFTPLUS -> {
                SoftplusKeys k = spec.bind(SoftplusKeys.DEFAULT);
                yield k.equals(SoftplusKeys.DEFAULT) ? of(kind) : new ActivationSpec(kind, new TunedActivation.Softplus(k.beta(), k.threshold()),
                        kind.label + ":beta=" + k.beta() + ",threshold=" + k.threshold());
            }
            case GELU -> spec.bind(GeluKeys.DEFAULT).equals(GeluKeys.DEFAULT) ? of(kind)
                    : new ActivationSpec(kind, new TunedActivation.GeluTanh(), kind.label + ":approximate=tanh");
            default -> throw spec.error(name + " takes no keys");
        };
    }

    /** {@code LeakyReLU(negative_slope)}. */
    record LeakyReluKeys(double negativeSlope) {
        /** PyTorch's default, the one LeakyReLU's kernels are given by default. */
        static final LeakyReluKeys DEFAULT = new LeakyReluKeys(Activation.LEAKY_RELU.parameters()[0]);

        LeakyReluKeys {
            if (!Double.isFinite(negativeSlope)) throw new IllegalArgumentException("negative_slope must be a finite number");
        }
    }

    /** {@code ELU(alpha)}. */
    record EluKeys(double alpha) {
        /** PyTorch's default, the one ELU's kernels are given by default. */
        static final EluKeys DEFAULT = new EluKeys(Activation.ELU.parameters()[0]);

        EluKeys {
            if (!Double.isFinite(alpha)) throw new IllegalArgumentException("alpha must be a finite number");
        }
    }

    /** {@code Softplus(beta, threshold)}: above beta x > threshold the function is x itself. */
    record SoftplusKeys(double beta, double threshold) {
        /** PyTorch's defaults, the ones Softplus's kernels are given by default. */
        static final SoftplusKeys DEFAULT = new SoftplusKeys(Activation.SOFTPLUS.parameters()[0], Activation.SOFTPLUS.parameters()[1]);

        SoftplusKeys {
            if (!Double.isFinite(beta) || beta == 0) throw new IllegalArgumentException("beta must be a finite number other than 0");
            if (!Double.isFinite(threshold)) throw new IllegalArgumentException("threshold must be a finite number");
        }
    }

    /** {@code GELU(approximate)}: {@code none}, the exact x Phi(x), or {@code tanh}, Hendrycks and Gimpel's tanh form. */
    record GeluKeys(String approximate) {
        static final GeluKeys DEFAULT = new GeluKeys("none");

        GeluKeys {
            if (!approximate.equals("none") && !approximate.equals("tanh"))
                throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
    }
}
