package dev.ravine.nn;

import dev.ravine.optim.Spec;
import dev.ravine.tensor.Pointwise;

/**
 * An activation as a model spec names it: its kind, with the hyperparameters of torch.nn's module where they are
 * given, by PyTorch's names and with its defaults: {@code leaky_relu:negative_slope=0.2} ({@code LeakyReLU}),
 * {@code elu:alpha=0.5} ({@code ELU}), {@code softplus:beta=2,threshold=10} ({@code Softplus}) and
 * {@code gelu:approximate=tanh} ({@code GELU}). At the defaults the function is the kind itself, whose passes have
 * kernels of their own; other values take the {@link TunedActivation} forms, entry by entry but for LeakyReLU's
 * slope, which its kernels take.
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
                double slope = spec.bind(new LeakyReluKeys(0.01)).negativeSlope();
                yield slope == 0.01 ? of(kind) : new ActivationSpec(kind, new TunedActivation.LeakyRelu(slope), kind.label + ":negative_slope=" + slope);
            }
            case ELU -> {
                double alpha = spec.bind(new EluKeys(1.0)).alpha();
                yield alpha == 1 ? of(kind) : new ActivationSpec(kind, new TunedActivation.Elu(alpha), kind.label + ":alpha=" + alpha);
            }
            case SOFTPLUS -> {
                SoftplusKeys k = spec.bind(new SoftplusKeys(1.0, 20.0));
                if (k.beta() == 1 && k.threshold() == 20) yield of(kind);
                String label = kind.label + ":beta=" + k.beta() + ",threshold=" + k.threshold();
                yield new ActivationSpec(kind, new TunedActivation.Softplus(k.beta(), k.threshold()), label);
            }
            case GELU -> spec.bind(new GeluKeys("none")).approximate().equals("none") ? of(kind)
                    : new ActivationSpec(kind, new TunedActivation.GeluTanh(), kind.label + ":approximate=tanh");
            default -> throw spec.error(name + " takes no keys");
        };
    }

    /** {@code LeakyReLU(negative_slope)}. */
    record LeakyReluKeys(double negativeSlope) {
        LeakyReluKeys {
            if (!Double.isFinite(negativeSlope)) throw new IllegalArgumentException("negative_slope must be a finite number");
        }
    }

    /** {@code ELU(alpha)}. */
    record EluKeys(double alpha) {
        EluKeys {
            if (!Double.isFinite(alpha)) throw new IllegalArgumentException("alpha must be a finite number");
        }
    }

    /** {@code Softplus(beta, threshold)}: above beta x > threshold the function is x itself. */
    record SoftplusKeys(double beta, double threshold) {
        SoftplusKeys {
            if (!Double.isFinite(beta) || beta == 0) throw new IllegalArgumentException("beta must be a finite number other than 0");
            if (!Double.isFinite(threshold)) throw new IllegalArgumentException("threshold must be a finite number");
        }
    }

    /** {@code GELU(approximate)}: {@code none}, the exact x Phi(x), or {@code tanh}, Hendrycks and Gimpel's tanh form. */
    record GeluKeys(String approximate) {
        GeluKeys {
            if (!approximate.equals("none") && !approximate.equals("tanh"))
                throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
    }
}
