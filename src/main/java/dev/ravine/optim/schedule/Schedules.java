package dev.ravine.optim.schedule;

import dev.ravine.optim.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.DoubleFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Every schedule by its spec name; keys and defaults are PyTorch's (in snake_case), checked as PyTorch checks them.
 * Schedules joined by {@code +} run one after another, as {@code SequentialLR} runs them.
 */
public final class Schedules {
    /**
     * @param length the steps a schedule of this config lasts, where it has an end (0: none), which is where the
     *               next one in a sequence takes over unless its {@code for=N} says otherwise
     * @param sequenced whether it may stand in a sequence: not if it sets the rate itself or watches a metric
     */
    record Entry<C extends Record>(String name, C defaults, BiFunction<Double, C, Schedule> make, ToIntFunction<C> length,
                                   boolean sequenced, String summary) {
        /** Binds the spec's values once; each start builds a schedule from them. */
        DoubleFunction<Schedule> bind(Spec spec) {
            C config = spec.bind(defaults);
            return baseLr -> {
                try {
                    return make.apply(baseLr, config);
                } catch (IllegalArgumentException e) {
                    throw spec.error(e.getMessage());
                }
            };
        }
    }

    private static <C extends Record> ToIntFunction<C> endless() {
        return c -> 0;
    }

    static final List<Entry<?>> ALL = List.of(
            new Entry<>("step", StepLR.Config.DEFAULTS, StepLR::new, endless(), true, "x gamma every step_size steps"),
            new Entry<>("multistep", MultiStepLR.Config.DEFAULTS, MultiStepLR::new, endless(), true, "x gamma at each milestone"),
            new Entry<>("exponential", ExponentialLR.Config.DEFAULTS, ExponentialLR::new, endless(), true, "x gamma every step"),
            new Entry<>("cosine", CosineAnnealingLR.Config.DEFAULTS, CosineAnnealingLR::new, CosineAnnealingLR.Config::tMax, true,
                    "cosine annealing to eta_min over t_max"),
            new Entry<>("cosine_restarts", CosineAnnealingWarmRestarts.Config.DEFAULTS, CosineAnnealingWarmRestarts::new, endless(), true,
                    "cosine annealing over t_0, restarting, each cycle t_mult times longer (SGDR)"),
            new Entry<>("linear", LinearLR.Config.DEFAULTS, LinearLR::new, LinearLR.Config::totalIters, true,
                    "linear factor from start_factor to end_factor"),
            new Entry<>("constant", ConstantLR.Config.DEFAULTS, ConstantLR::new, ConstantLR.Config::totalIters, true,
                    "x factor for total_iters steps, then the base rate"),
            new Entry<>("polynomial", PolynomialLR.Config.DEFAULTS, PolynomialLR::new, PolynomialLR.Config::totalIters, true,
                    "(1 - t/total_iters)^power"),
            new Entry<>("onecycle", OneCycleLR.Config.DEFAULTS, (lr, c) -> new OneCycleLR(c), endless(), false, "one-cycle warm-up and anneal"),
            new Entry<>("cyclic", CyclicLR.Config.DEFAULTS, (lr, c) -> new CyclicLR(c), endless(), false,
                    "triangular cycles between base_lr and max_lr"),
            new Entry<>("plateau", ReduceLROnPlateau.Config.DEFAULTS, ReduceLROnPlateau::new, endless(), false,
                    "x factor when the validation loss stalls"),
            new Entry<>("power", PowerDecay.Config.DEFAULTS, PowerDecay::new, endless(), true, "lr0 / (1 + t/decay_steps)^power"),
            new Entry<>("linear_decay", LinearDecay.Config.DEFAULTS, LinearDecay::new, LinearDecay.Config::steps, true,
                    "linear to end_lr over steps, then constant"));

    /** The key that ends a schedule in a sequence after N steps: SequentialLR's milestones, as lengths. */
    private static final String FOR = "for";

    private Schedules() {
    }

    /**
     * Parses and checks a {@code --schedule} spec such as {@code cosine:t_max=25,eta_min=0.001}, or a sequence such
     * as {@code linear:start_factor=0.1,total_iters=5+cosine:t_max=95}.
     */
    public static ScheduleSpec spec(String text) {
        List<String> texts = parts(text);
        if (texts.size() == 1) {
            Spec spec = Spec.parse("--schedule", text);
            return new ScheduleSpec(text, entryOf(spec).bind(spec));
        }
        List<DoubleFunction<Schedule>> parts = new ArrayList<>();
        int[] milestones = new int[texts.size() - 1];
        for (int i = 0; i < texts.size(); i++) {
            Spec spec = Spec.parse("--schedule", texts.get(i));
            Entry<?> entry = entryOf(spec);
            if (!entry.sequenced())
                throw error(text, entry.name() + (entry.name().equals("plateau") ? " follows the validation loss" : " sets the rate itself")
                        + " and cannot stand in a sequence");
            Map<String, String> values = new LinkedHashMap<>(spec.values());
            String lasts = values.remove(FOR);
            Spec own = new Spec(spec.option(), spec.text(), spec.name(), values);
            parts.add(entry.bind(own));
            if (i == texts.size() - 1) {
                if (lasts != null) throw error(text, "the last schedule runs to the end; 'for' belongs to the ones before it");
                break;
            }
            int length;
            try {
                length = lasts != null ? Integer.parseInt(lasts) : lengthOf(entry, own);
            } catch (NumberFormatException e) {
                throw error(text, FOR + "=" + lasts + " is not a whole number");
            }
            if (length < 1) throw error(text, lasts != null ? FOR + "=" + lasts + " must be a positive number of steps"
                    : entry.name() + " has no end of its own: say how many steps it lasts with " + FOR + "=N (" + texts.get(i) + "," + FOR + "=10)");
            milestones[i] = (i == 0 ? 0 : milestones[i - 1]) + length;
        }
        return new ScheduleSpec(text, baseLr -> new SequentialLR(baseLr, parts, milestones));
    }

    /**
     * The rates of a run with stochastic weight averaging: {@code before} (null: the constant rate) until epoch
     * {@code start} has ended, then SWALR to {@code swaLr} over {@code annealEpochs} epochs, by a cosine or linearly;
     * stepped once an epoch.
     */
    public static ScheduleSpec swa(ScheduleSpec before, int start, double swaLr, int annealEpochs, boolean cosine) {
        String text = (before == null ? "" : before.text() + " then ") + "swalr:swa_lr=" + swaLr + ",anneal_epochs=" + annealEpochs
                + ",anneal_strategy=" + (cosine ? "cos" : "linear") + " after epoch " + start;
        return new ScheduleSpec(text, baseLr -> new SwaLR(baseLr, before == null ? null : before.start(baseLr), start, swaLr, annealEpochs, cosine));
    }

    /** A schedule from its spec, starting from {@code baseLr}. */
    public static Schedule parse(String text, double baseLr) {
        return spec(text).start(baseLr);
    }

    /** One line per schedule with its keys and defaults, for {@code --help}. */
    public static String help() {
        return ALL.stream().map(e -> Spec.help(e.name(), e.defaults(), e.summary()))
                .collect(Collectors.joining("\n"))
                + "\n" + Spec.wrap("A+B: B after A, from the end of A's total_iters (t_max, steps) or after A's for=N steps (SequentialLR)");
    }

    /** The spec split at each '+' that begins a schedule's name ('+' may also sign a number: gamma=+1). */
    private static List<String> parts(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf('+'); at >= 0; at = text.indexOf('+', at + 1)) {
            String rest = text.substring(at + 1);
            if (ALL.stream().anyMatch(e -> rest.startsWith(e.name()) && (rest.length() == e.name().length()
                    || ":+".indexOf(rest.charAt(e.name().length())) >= 0))) {
                out.add(text.substring(from, at));
                from = at + 1;
            }
        }
        out.add(text.substring(from));
        return out;
    }

    private static Entry<?> entryOf(Spec spec) {
        for (Entry<?> e : ALL) if (e.name().equals(spec.name())) return e;
        throw spec.error("unknown schedule '" + spec.name() + "' (valid: " + ALL.stream().map(Entry::name).collect(Collectors.joining(", ")) + ")");
    }

    private static <C extends Record> int lengthOf(Entry<C> entry, Spec spec) {
        return entry.length().applyAsInt(spec.bind(entry.defaults()));
    }

    private static dev.ravine.UserError error(String text, String message) {
        return new dev.ravine.UserError("--schedule " + text + ": " + message);
    }
}
