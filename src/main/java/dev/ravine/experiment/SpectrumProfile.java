package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a network's Hessian spectrum (LeCun et al. 1998, "Efficient BackProp", section 9): a few large
 * eigenvalues, a great many medium ones, and a few small ones, which is why one learning rate cannot suit every
 * direction (the large ones cap it at 2/lambda_max, the small ones then crawl). The exact Hessian of the mean
 * training loss of an MLP on digits (standardized), every eigenvalue, at initialization and after training; the
 * bands are relative to lambda_max: large above {@code LARGE} of it, small below {@code SMALL} in magnitude. Digits has
 * pixels that are blank in every image; the weights leaving them are directions the loss cannot see, with
 * eigenvalues zero to rounding (below {@code NULL} of lambda_max), counted apart as null rather than as small.
 */
public final class SpectrumProfile implements Experiment {
    static final int EPOCHS = 20;
    static final double LARGE = 0.1, SMALL = 1e-4, NULL = 1e-9;
    /** "A few": at most this share of all eigenvalues; "a great many": more than half. */
    static final double FEW = 0.1;
    private final String model;

    public SpectrumProfile() {
        this("mlp:16:tanh");
    }

    public SpectrumProfile(String model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "spectrum-profile";
    }

    @Override
    public String claim() {
        return "a trained network's Hessian has a few large eigenvalues, a great many medium ones and a few small ones (LeCun et al. 1998)";
    }

    /** One spectrum in the three bands, and its histogram over decades of |lambda| / lambda_max. */
    record Profile(double lambdaMax, int large, int medium, int small, int nulls, int negative, double[] decades, double[] counts) {
        static Profile of(double[] ev) {
            double max = ev[ev.length - 1];
            int large = 0, medium = 0, small = 0, nulls = 0, negative = 0;
            double[] decades = new double[13], counts = new double[13];
            for (int i = 0; i < decades.length; i++) decades[i] = -i;
            for (double v : ev) {
                double r = Math.abs(v) / max;
                if (v >= LARGE * max) large++;
                else if (r < NULL) nulls++;
                else if (r < SMALL) small++;
                else medium++;
                if (v < -SMALL * max) negative++;
                int d = r <= 0 ? 12 : (int) Math.min(12, Math.max(0, Math.ceil(-Math.log10(r))));
                counts[d]++;
            }
            return new Profile(max, large, medium, small, nulls, negative, decades, counts);
        }

        /** The eigenvalues the bands share out: all but the null ones. */
        int seen() {
            return large + medium + small;
        }

        Map<String, Object> asMap() {
            double n = seen();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lambda_max", lambdaMax);
            m.put("large", large);
            m.put("medium", medium);
            m.put("small", small);
            m.put("null", nulls);
            m.put("large_share", large / n);
            m.put("medium_share", medium / n);
            m.put("small_share", small / n);
            m.put("below_minus_small", negative);
            m.put("count_by_decade_of_abs_lambda_over_lambda_max", counts);
            return m;
        }
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        RunSettings s = Experiment.settings(data, model, "adam:lr=0.01", DType.FLOAT64, 0.2, Scaling.ON, new TrainConfig(EPOCHS, 32, true, seed));
        TrainingRun run = new TrainingRun(s);
        Experiment.fitsFullSpectrum(name(), data, run.model.network.parameterCount());
        run.train(new Trainer.Listener() {
        });
        FullBatchObjective objective = new FullBatchObjective(run.model.network, run.loss, run.split.train(), null, false);
        double[] trained = run.model.network.parameters().toDoubleArray(), init = run.initialWeights.toDoubleArray();
        int n = trained.length;
        Profile atInit = Profile.of(Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(objective, init)));
        Profile after = Profile.of(Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(objective, trained)));
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("parameters", n);
        numbers.put("epochs", EPOCHS);
        numbers.put("large_above_times_lambda_max", LARGE);
        numbers.put("small_below_times_lambda_max", SMALL);
        numbers.put("null_below_times_lambda_max", NULL);
        numbers.put("initialization", atInit.asMap());
        numbers.put("trained", after.asMap());
        List<String> wrong = new java.util.ArrayList<>();
        n = after.seen();
        if (after.large() > FEW * n) wrong.add(String.format(Locale.ROOT, "%d of %d eigenvalues are large, not a few", after.large(), n));
        if (2 * after.medium() <= n) wrong.add(String.format(Locale.ROOT, "only %d of %d are medium", after.medium(), n));
        if (after.small() > FEW * n) wrong.add(String.format(Locale.ROOT, "%d of %d are small, not a few", after.small(), n));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "of %d eigenvalues after training (and %d null), %d are large (above %s "
                + "lambda_max), %d medium and %d small (below %s lambda_max in magnitude)", n, after.nulls(), after.large(), LARGE, after.medium(),
                after.small(), SMALL));
        LineChart c = new LineChart("Hessian eigenvalues of " + model + " on " + data + " by decade", "log10 (|lambda| / lambda_max), "
                + "rounded down", "eigenvalues", "Large ones at the right set the largest stable step; the medium mass learns at a fraction of it, "
                + "the small ones hardly at all.");
        c.add("initialization", atInit.decades(), atInit.counts());
        c.add("trained", after.decades(), after.counts());
        return new Result(verdict, numbers, List.of(c));
    }
}
