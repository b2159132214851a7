package dev.ravine.optim;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every optimizer by its spec name: adding one is a hyperparameter record with its defaults and checks, a class
 * with the update rule, and one line here.
 */
public final class Optimizers {
    /** A named optimizer: its defaults (which also list its keys) and how to build one from bound values. */
    public record Entry<C extends Record>(String name, C defaults, Function<C, Optimizer> make, String summary) {
        Optimizer build(Spec spec) {
            return make.apply(spec.bind(defaults));
        }
    }

    public static final List<Entry<?>> ALL = List.of(
            new Entry<>("sgd", Sgd.Config.DEFAULTS, Sgd::new, "stochastic gradient descent, momentum, Nesterov"),
            new Entry<>("adagrad", Adagrad.Config.DEFAULTS, Adagrad::new, "AdaGrad"),
            new Entry<>("rmsprop", RmsProp.Config.DEFAULTS, RmsProp::new, "RMSProp, centered, momentum"),
            new Entry<>("adadelta", Adadelta.Config.DEFAULTS, Adadelta::new, "AdaDelta"),
            new Entry<>("adam", Adam.Config.DEFAULTS, c -> new Adam(c, false), "Adam, AMSGrad, L2 weight decay"),
            new Entry<>("adamw", Adam.Config.ADAMW_DEFAULTS, c -> new Adam(c, true), "Adam with decoupled weight decay"),
            new Entry<>("adamax", Adamax.Config.DEFAULTS, Adamax::new, "Adam under the infinity norm"),
            new Entry<>("nadam", NAdam.Config.DEFAULTS, NAdam::new, "Adam with Nesterov momentum"),
            new Entry<>("radam", RAdam.Config.DEFAULTS, RAdam::new, "rectified Adam"),
            new Entry<>("rprop", Rprop.Config.DEFAULTS, Rprop::new, "resilient backpropagation: per-weight step sizes, gradient signs only"),
            new Entry<>("asgd", Asgd.Config.DEFAULTS, Asgd::new, "averaged SGD, Polyak-Juditsky averaging after t0 steps"),
            new Entry<>("yogi", Yogi.Config.DEFAULTS, Yogi::new, "Yogi, additive second moment"),
            new Entry<>("lion", Lion.Config.DEFAULTS, Lion::new, "Lion, the sign of interpolated momentum, decoupled weight decay"),
            new Entry<>("kfac", Kfac.Config.DEFAULTS, Kfac::new, "K-FAC natural gradient, Kronecker-factored Fisher per layer (MLPs)"));

    private Optimizers() {
    }

    /** Parses {@code --optimizer} specs such as {@code sgd:lr=0.05,momentum=0.9,nesterov=true}. */
    public static Optimizer parse(String text) {
        Spec spec = Spec.parse("--optimizer", text);
        for (Entry<?> e : ALL) if (e.name().equals(spec.name())) return e.build(spec);
        throw spec.error("unknown optimizer '" + spec.name() + "' (valid: " + names() + ")");
    }

    /** Every method's name, first-order ones first. */
    public static String names() {
        return java.util.stream.Stream.concat(ALL.stream().map(Entry::name), Minimizers.ALL.stream().map(Minimizers.Entry::name))
                .collect(Collectors.joining(", "));
    }

    /** One line per optimizer with its keys and defaults, for {@code --help}. */
    public static String help() {
        return ALL.stream().map(e -> Spec.help(e.name(), e.defaults(), e.summary()))
                .collect(Collectors.joining("\n"));
    }
}
