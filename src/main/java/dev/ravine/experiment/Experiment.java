package dev.ravine.experiment;

import dev.ravine.UserError;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.Spectrum;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import java.util.List;
import java.util.Map;

/**
 * A lecture's claim as something to run: it computes its numbers on real data or a test function, draws its figure,
 * and decides from those numbers alone whether the claim holds here.
 */
public interface Experiment {
    /** What an experiment found: a verdict beginning "holds" or "does not hold", the numbers behind it, its figures. */
    record Result(String verdict, Map<String, Object> numbers, List<LineChart> figures) {
        public Result {
            if (!verdict.startsWith("holds") && !verdict.startsWith("does not hold"))
                throw new IllegalArgumentException("a verdict begins with 'holds' or 'does not hold': " + verdict);
        }
    }

    /**
     * "holds: {@code holds}" when nothing went against the claim, else "does not hold here, because" and each thing
     * that did, as each experiment words its verdict.
     */
    static String verdict(List<String> against, String holds) {
        return against.isEmpty() ? "holds: " + holds : "does not hold here, because " + String.join("; ", against);
    }

    String name();

    /** The claim, in one line. */
    String claim();

    /**
     * The data set it runs on unless {@code --data} names another (as {@code train --data} takes them), or null when
     * it runs on a test function and takes no data.
     */
    default String data() {
        return null;
    }

    /** Runs on {@code data}: {@link #data()} or the one the user named; null for an experiment on a test function. */
    Result run(long seed, String data);

    default Result run(long seed) {
        return run(seed, data());
    }

    /**
     * A run as the experiments train one: the task read from the data, PyTorch's initialization, no batch norm,
     * nothing tracked or checkpointed, every row, on all the machine's cores.
     */
    static dev.ravine.train.RunSettings settings(String data, String model, String optimizer, DType dtype, double val,
                                                 dev.ravine.data.Scaling scaling, dev.ravine.train.TrainConfig loop) {
        return new dev.ravine.train.RunSettings(data, null, "auto", model, false, optimizer, "torch", dtype, dev.ravine.train.Threads.available(), val,
                scaling, loop, null, List.of(), 0);
    }

    /** {@code d} if it is a classification set, else a {@link UserError} naming the experiment that needs one. */
    static Dataset classification(String experiment, String data, Dataset d) {
        if (d.task() != Task.CLASSIFICATION)
            throw UserError.setting("data", data, "experiment " + experiment + " trains a classifier, and this is a regression data set");
        return d;
    }

    /** {@code data} in float64 with standardized features, as the full-batch experiments take it; a classification set only. */
    static Dataset standardizedClassification(String experiment, String data) {
        Dataset d = classification(experiment, data, Datasets.load(data, null, null, DType.FLOAT64).data());
        Standardization.fit(d.x()).apply(d.x());
        return d;
    }

    /**
     * Every eigenvalue of {@code h}, the Hessian of an {@code experiment} on {@code data}, or a
     * {@link UserError} when it has more than {@code FULL_SPECTRUM} parameters (the dense eigensolver
     * needs n^2 memory and n^3 time).
     */
    static double[] everyEigenvalue(String experiment, String data, LinearOperator h) {
        fitsFullSpectrum(experiment, data, h.dimension());
        return Spectrum.full(h);
    }

    /** Refuses, before any training, a network whose every eigenvalue {@link #everyEigenvalue} could not compute. */
    static void fitsFullSpectrum(String experiment, String data, int parameters) {
        if (parameters > FULL_SPECTRUM)
            throw UserError.setting("data", data, "experiment " + experiment + " computes every eigenvalue of its Hessian, and on this data "
                    + "the network has " + parameters + " parameters (at most " + FULL_SPECTRUM + "; give a data set with fewer features)");
    }

    int FULL_SPECTRUM = 5000;

    /** A number as a figure's title or a verdict shows it: whole numbers without ".0". */
    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A standard normal draw (Box-Muller), from the seeded stream so a run repeats exactly. */
    static double gaussian(java.util.SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * Labels and values, alternating, as a map in the order given: a figure's legend and a result's keys come out the
     * same on every run, as Map.of's need not.
     */
    @SuppressWarnings("unchecked")
    static <T> Map<String, T> inOrder(Object... labelsAndValues) {
        Map<String, T> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < labelsAndValues.length; i += 2) m.put((String) labelsAndValues[i], (T) labelsAndValues[i + 1]);
        return m;
    }
}
