package dev.ravine.optim;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The methods that re-evaluate the objective, by spec name: each runs full-batch in {@code train}. */
public final class Minimizers {
    public record Entry<C extends Record>(String name, C defaults, Function<C, Minimizer> make, String summary) {
        Minimizer build(Spec spec) {
            return make.apply(spec.bind(defaults));
        }
    }

    public static final List<Entry<?>> ALL = List.of(
            new Entry<>("lbfgs", Lbfgs.Config.DEFAULTS, Lbfgs::new, "L-BFGS as torch.optim.LBFGS; line_search_fn=none|strong_wolfe"),
            new Entry<>("cg", ConjugateGradient.Config.DEFAULTS, ConjugateGradient::new, "nonlinear conjugate gradients, strong Wolfe"),
            new Entry<>("newton", Newton.Config.DEFAULTS, Newton::new, "damped Newton with the exact Hessian; saddle_free=true uses |H|"),
            new Entry<>("ngd", NaturalGradient.Config.DEFAULTS, NaturalGradient::new, "natural gradient, damped true or empirical Fisher, solved by CG"));

    private Minimizers() {
    }

    public static boolean isMinimizer(String spec) {
        String name = Spec.parse("--optimizer", spec).name();
        return ALL.stream().anyMatch(e -> e.name().equals(name));
    }

    public static Minimizer parse(String text) {
        Spec spec = Spec.parse("--optimizer", text);
        for (Entry<?> e : ALL) if (e.name().equals(spec.name())) return e.build(spec);
        throw spec.error("unknown method '" + spec.name() + "' (valid: " + ALL.stream().map(Entry::name).collect(Collectors.joining(", ")) + ")");
    }

    public static String help() {
        return ALL.stream().map(e -> Spec.help(e.name(), e.defaults(), e.summary()))
                .collect(Collectors.joining("\n"));
    }
}
