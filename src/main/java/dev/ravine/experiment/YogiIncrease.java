package dev.ravine.experiment;

import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zaheer et al. 2018, section 3: Adam's second moment moves by v - v' = (1 - beta2)(v' - g^2), a share of its own
 * size, so when the gradients turn small it falls geometrically, as beta2^s, and the effective rate
 * lr / (sqrt(v / (1 - beta2^t)) + eps) climbs within a few 1 / (1 - beta2) steps. Yogi's moves by
 * (1 - beta2) sign(v' - g^2) g^2, at most (1 - beta2) g^2 a step, so after the same switch it hardly moves. A gradient
 * stream of {@code LARGE} for {@code BEFORE} steps, then {@code small} for {@code AFTER}: each method's effective rate
 * at the end against the one at the switch, and each second moment against its closed form (Yogi's where v stays
 * above g^2 throughout, so that every step takes the same sign).
 */
public final class YogiIncrease implements Experiment {
    static final int BEFORE = 1000, AFTER = 3000;
    static final double LARGE = 1, RATE = 0.01, BETA2 = 0.999;
    /** Adam's rate must climb at least this much; Yogi's at most {@link #HELD}. */
    static final double CLIMBED = 3, HELD = 1.5;
    private final double small;

    public YogiIncrease() {
        this(0.01);
    }

    /** The gradient after the switch. */
    public YogiIncrease(double small) {
        this.small = small;
    }

    @Override
    public String name() {
        return "yogi";
    }

    @Override
    public String claim() {
        return "when the gradients turn small, Adam's second moment decays geometrically and its effective learning rate climbs fast, "
                + "while Yogi's additive update holds it back (Zaheer et al. 2018)";
    }

    @Override
    public Result run(long seed, String data) {
        String[] specs = {"adam:lr=" + RATE + ",betas=0.9|" + BETA2, "yogi:lr=" + RATE + ",betas=0.9|" + BETA2};
        double[] eps = {1e-8, 1e-3};
        LineChart chart = new LineChart(String.format(Locale.ROOT, "Effective rate with gradients of %s, then %s from step %d", Experiment.num(LARGE), Experiment.num(small),
                BEFORE + 1),
                "step", "lr / (sqrt(v / (1 - beta2^t)) + eps)", "Adam's second moment forgets the large gradients as beta2^s and its rate "
                        + "climbs; Yogi's changes by at most (1 - beta2) g^2 a step.").legendBelow();
        double[] rise = new double[2], v = new double[2], atSwitch = new double[2];
        for (int r = 0; r < 2; r++) {
            Optimizer method = Optimizers.parse(specs[r]);
            Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1), g = Tensor.zeros(DType.FLOAT64, 1, 1);
            double[] t = new double[BEFORE + AFTER], rate = new double[t.length];
            for (int step = 1; step <= BEFORE + AFTER; step++) {
                g.set(0, step <= BEFORE ? LARGE : small);
                method.step(x, g, RATE);
                v[r] = method.state().get("exp_avg_sq").get(0);
                t[step - 1] = step;
                rate[step - 1] = RATE / (Math.sqrt(v[r] / (1 - Math.pow(BETA2, step))) + eps[r]);
                if (step == BEFORE) atSwitch[r] = v[r];
            }
            rise[r] = rate[t.length - 1] / rate[BEFORE - 1];
            chart.add(r == 0 ? "adam" : "yogi", t, rate);
        }
        // closed forms after the switch: Adam's v = beta2^s v0 + (1 - beta2^s) g^2; Yogi's v falls by (1 - beta2) g^2 a step while v > g^2
        double decay = Math.pow(BETA2, AFTER);
        double adamExpected = decay * atSwitch[0] + (1 - decay) * small * small;
        double yogiFall = atSwitch[1] - AFTER * (1 - BETA2) * small * small, yogiExpected = yogiFall > small * small ? yogiFall : Double.NaN;
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("large_gradient", LARGE);
        numbers.put("small_gradient", small);
        numbers.put("steps_before", BEFORE);
        numbers.put("steps_after", AFTER);
        numbers.put("beta2", BETA2);
        numbers.put("adam", Experiment.inOrder("v_at_switch", atSwitch[0], "v_at_end", v[0], "v_at_end_closed_form", adamExpected, "rate_rise", rise[0]));
        numbers.put("yogi", Experiment.inOrder("v_at_switch", atSwitch[1], "v_at_end", v[1], "v_at_end_closed_form", yogiExpected, "rate_rise", rise[1]));
        List<String> wrong = new ArrayList<>();
        if (!(Math.abs(v[0] - adamExpected) <= 1e-12 * atSwitch[0]))
            wrong.add(String.format(Locale.ROOT, "Adam's second moment ended at %.6g, not beta2^s v0 + (1 - beta2^s) g^2 = %.6g", v[0], adamExpected));
        if (!Double.isNaN(yogiExpected) && !(Math.abs(v[1] - yogiExpected) <= 1e-12 * atSwitch[1]))
            wrong.add(String.format(Locale.ROOT, "Yogi's second moment ended at %.6g, not v0 - s (1 - beta2) g^2 = %.6g", v[1], yogiExpected));
        if (!(rise[0] >= CLIMBED)) wrong.add(String.format(Locale.ROOT, "Adam's effective rate rose only %.3g-fold after the switch", rise[0]));
        if (!(rise[1] <= HELD)) wrong.add(String.format(Locale.ROOT, "Yogi's effective rate rose %.3g-fold after the switch", rise[1]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "%d steps after the gradients fell from %s to %s, Adam's second moment "
                + "had decayed from %.3g to %.3g and its effective rate risen %.2f-fold; Yogi's moved from %.4g to %.4g and its rate %.2f-fold (the "
                + "bias correction's part)", AFTER, Experiment.num(LARGE), Experiment.num(small), atSwitch[0], v[0], rise[0], atSwitch[1], v[1], rise[1]));
        return new Result(verdict, numbers, List.of(chart));
    }
}
