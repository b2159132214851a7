package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.track.Track;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.Threads;
import dev.ravine.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gur-Ari et al. (2018): soon after training starts, the gradient lies almost entirely in the span of the Hessian's
 * top k eigenvectors, k the number of classes: gradient descent happens in a tiny subspace. Their setting, on
 * digits: pixels scaled into [0, 1] as MNIST's are, two hidden ReLU layers of 100, SGD at lr 0.1, batch 32; the
 * share of the training set's gradient (its first {@code ROWS} rows) in the top-k eigenspace of their Hessian, every {@code EVERY} steps
 * ({@code --track subspace_overlap}). A random k-dimensional subspace would hold k / n of it. With standardized
 * pixels the curvature spreads over many more directions, and the share stays far lower.
 */
public final class GradientSubspace implements Experiment {
    static final int EPOCHS = 10, EVERY = 45;
    /** The rows the overlap is measured on: the first of the training set (all of digits'). */
    static final int ROWS = 2000;
    /** "Almost entirely": at least this share on average over the second half of the run. */
    static final double MOSTLY = 0.8;
    private final Scaling scaling;

    public GradientSubspace() {
        this(Scaling.MINMAX);
    }

    /** How the pixels are scaled: into [0, 1] ({@code MINMAX}, the paper's), or standardized ({@code ON}). */
    public GradientSubspace(Scaling scaling) {
        this.scaling = scaling;
    }

    @Override
    public String name() {
        return "gradient-subspace";
    }

    @Override
    public String claim() {
        return "soon after training starts, the gradient lies almost entirely in the span of the Hessian's top k eigenvectors, k the number of "
                + "classes (Gur-Ari et al. 2018)";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        RunSettings s = new RunSettings(data, null, "auto", "mlp:100-100:relu", false, "sgd:lr=0.1", "torch", DType.FLOAT32, Threads.available(),
                0.2, scaling, new TrainConfig(EPOCHS, 32, true, seed), null, Track.parse("subspace_overlap:steps=" + EVERY + ",rows=" + ROWS), 0);
        TrainingRun run = new TrainingRun(s);
        int k = Experiment.classification(name(), data, run.split.train()).outputs();
        run.train(new Trainer.Listener() {
        });
        var rows = run.tracked.rows();
        double[] steps = new double[rows.size()], overlap = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            steps[i] = rows.get(i).step();
            overlap[i] = rows.get(i).figures().get("subspace_overlap").doubleValue();
        }
        int n = run.model.network.parameterCount();
        double secondHalf = 0;
        int from = overlap.length / 2;
        for (int i = from; i < overlap.length; i++) secondHalf += overlap[i] / (overlap.length - from);
        double random = (double) k / n;
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("scaling", scaling.label());
        numbers.put("parameters", n);
        numbers.put("k", k);
        numbers.put("random_subspace_share", random);
        numbers.put("measured_at_steps", steps);
        numbers.put("subspace_overlap", overlap);
        numbers.put("mean_over_the_second_half", secondHalf);
        List<String> wrong = new java.util.ArrayList<>();
        if (!(secondHalf >= MOSTLY))
            wrong.add(String.format(Locale.ROOT, "over the second half of the run the top-%d eigenspace held %.0f%% of the gradient on average", k,
                    100 * secondHalf));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "over the second half of the run the top-%d eigenspace held %.0f%% of the "
                + "gradient on average (a random %d-dimensional subspace of the %d parameters holds %.2g%%)", k, 100 * secondHalf, k, n, 100 * random));
        LineChart c = new LineChart("Share of the gradient in the top-" + k + " Hessian eigenspace (" + data + ", " + scaling.label() + " scaling)", "step",
                "|V_k^T g|^2 / |g|^2", "Within a few hundred steps gradient descent moves almost only along the few sharpest directions.").legendBelow();
        c.add("top-" + k + " eigenspace", steps, overlap);
        double[] flat = new double[steps.length];
        java.util.Arrays.fill(flat, random);
        c.add("a random " + k + "-dimensional subspace", steps, flat);
        return new Result(verdict, numbers, List.of(c));
    }
}
