package dev.ravine.optim.schedule;

import dev.ravine.optim.Spec;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** Every schedule by its spec name; keys and defaults are PyTorch's (in snake_case), checked as PyTorch checks them. */
public final class Schedules {
    record Entry<C extends Record>(String name, C defaults, BiFunction<Double, C, Schedule> make, String summary) {
        /** Binds the spec's values once; each start builds a schedule from them. */
        ScheduleSpec bind(Spec spec, String text) {
            C config = spec.bind(defaults);
            return new ScheduleSpec(text, baseLr -> {
                try {
                    return make.apply(baseLr, config);
                } catch (IllegalArgumentException e) {
                    throw spec.error(e.getMessage());
                }
            });
        }
    }

    static final List<Entry<?>> ALL = List.of(
            new Entry<>("step", StepLR.Config.DEFAULTS, StepLR::new, "x gamma every step_size steps"),
            new Entry<>("multistep", MultiStepLR.Config.DEFAULTS, MultiStepLR::new, "x gamma at each milestone"),
            new Entry<>("exponential", ExponentialLR.Config.DEFAULTS, ExponentialLR::new, "x gamma every step"),
            new Entry<>("cosine", CosineAnnealingLR.Config.DEFAULTS, CosineAnnealingLR::new, "cosine annealing to eta_min over t_max"),
            new Entry<>("linear", LinearLR.Config.DEFAULTS, LinearLR::new, "linear factor from start_factor to end_factor"),
            new Entry<>("polynomial", PolynomialLR.Config.DEFAULTS, PolynomialLR::new, "(1 - t/total_iters)^power"),
            new Entry<>("onecycle", OneCycleLR.Config.DEFAULTS, (lr, c) -> new OneCycleLR(c), "one-cycle warm-up and anneal"),
            new Entry<>("plateau", ReduceLROnPlateau.Config.DEFAULTS, ReduceLROnPlateau::new, "x factor when the validation loss stalls"),
            new Entry<>("power", PowerDecay.Config.DEFAULTS, PowerDecay::new, "lr0 / (1 + t/decay_steps)^power"),
            new Entry<>("linear_decay", LinearDecay.Config.DEFAULTS, LinearDecay::new, "linear to end_lr over steps, then constant"));

    private Schedules() {
    }

    /** Parses and checks a {@code --schedule} spec such as {@code cosine:t_max=25,eta_min=0.001}. */
    public static ScheduleSpec spec(String text) {
        Spec spec = Spec.parse("--schedule", text);
        for (Entry<?> e : ALL) if (e.name().equals(spec.name())) return e.bind(spec, text);
        throw spec.error("unknown schedule '" + spec.name() + "' (valid: " + ALL.stream().map(Entry::name).collect(Collectors.joining(", ")) + ")");
    }

    /** A schedule from its spec, starting from {@code baseLr}. */
    public static Schedule parse(String text, double baseLr) {
        return spec(text).start(baseLr);
    }

    /** One line per schedule with its keys and defaults, for {@code --help}. */
    public static String help() {
        return ALL.stream().map(e -> "  " + e.name() + ":" + Spec.describe(e.defaults()) + "  (" + e.summary() + ")")
                .collect(Collectors.joining("\n"));
    }
}
