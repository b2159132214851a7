package dev.ravine.experiment;

import dev.ravine.UserError;
import dev.ravine.data.CsvReader;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Scaling;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.Divergence;
import dev.ravine.train.Evaluation;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Threads;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Squared error chases outliers; the Huber loss (Huber 1964) does not. A residual r pulls on the fit with r under
 * squared error, so a few targets far off drag every prediction towards them, but with at most delta under the
 * Huber loss. The regression set, standardized, is split 80/20; in one copy of the training rows a share of the
 * targets is moved {@code shift} standard deviations, and the same network from the same initialization is trained
 * on the clean and on the corrupted rows with each loss, then scored on the clean held-out rows.
 */
public final class Outliers implements Experiment {
    static final int EPOCHS = 100;
    static final double SHARE = 0.1;
    private final double shift;

    public Outliers() {
        this(6);
    }

    /** How far, in standard deviations of the target, the corrupted targets are moved. */
    public Outliers(double shift) {
        this.shift = shift;
    }

    @Override
    public String name() {
        return "outliers";
    }

    @Override
    public String claim() {
        return "with a tenth of the training targets moved far off, a network trained with squared error predicts clean rows much worse than "
                + "one trained with the Huber loss, while on clean targets the two agree (Huber 1964)";
    }

    @Override
    public String data() {
        return "diabetes";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Datasets.load(data, null, null, DType.FLOAT64).data();
        if (d.task() != Task.REGRESSION)
            throw UserError.setting("data", data, "experiment " + name() + " fits a regression, and this is a classification data set");
        if (d.outputs() != 1) throw UserError.setting("data", data, "experiment " + name() + " needs one regression target, this data set has " + d.outputs());
        Standardization.fit(d.x()).apply(d.x());
        Standardization.fit(d.y()).apply(d.y()); // the target too, so the shift is in its standard deviations
        int[] order = permutation(d.rows(), new SplittableRandom(seed));
        int train = (int) (0.8 * d.rows()), corrupted = (int) Math.round(SHARE * train);
        boolean[] moved = new boolean[d.rows()];
        int[] pick = permutation(train, new SplittableRandom(seed + 1));
        for (int i = 0; i < corrupted; i++) moved[order[pick[i]]] = true;
        Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
        double[][] mae = new double[2][2]; // [clean, corrupted][mse, huber]
        Path dir;
        try {
            dir = Files.createTempDirectory("ravine-outliers");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path test = write(dir.resolve("test.csv"), d, order, train, d.rows(), null, 0);
            Dataset held = Datasets.load(test.toString(), null, Task.REGRESSION, DType.FLOAT32).data();
            for (int c = 0; c < 2; c++) {
                Path rows = write(dir.resolve(c == 0 ? "clean.csv" : "corrupted.csv"), d, order, 0, train, c == 0 ? null : moved, shift);
                for (int l = 0; l < 2; l++) {
                    LossSpec loss = LossSpec.of(l == 0 ? LossKind.MSE : LossKind.HUBER);
                    TrainConfig loop = new TrainConfig(EPOCHS, 32, true, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP,
                            null, loss, null);
                    TrainingRun run = new TrainingRun(new RunSettings(rows.toString(), null, "regression", "mlp:32:tanh", false, "adam:lr=0.01", "torch",
                            DType.FLOAT32, Threads.available(), 0, Scaling.OFF, loop, null, List.of(), 0));
                    run.train(new Trainer.Listener() {
                    });
                    Evaluation e = Evaluation.of(run.model.network, run.loss, held);
                    mae[c][l] = e.mae();
                    runs.computeIfAbsent(c == 0 ? "clean" : "corrupted", k -> new LinkedHashMap<>())
                            .put(loss.label(), Experiment.inOrder("held_out_mae", e.mae(), "held_out_rmse", e.rmse()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary folder left behind is no result
            }
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("rows", d.rows());
        numbers.put("training_rows", train);
        numbers.put("corrupted_targets", corrupted);
        numbers.put("shift_in_standard_deviations", shift);
        numbers.put("epochs", EPOCHS);
        numbers.put("runs", runs);
        List<String> wrong = new ArrayList<>();
        if (!(mae[1][1] < 0.8 * mae[1][0]))
            wrong.add(String.format(Locale.ROOT, "on the corrupted rows huber's held-out MAE %.3g is not well below squared error's %.3g", mae[1][1], mae[1][0]));
        if (!(Math.abs(mae[0][1] - mae[0][0]) < 0.15 * mae[0][0]))
            wrong.add(String.format(Locale.ROOT, "on clean rows the two differ: %.3g against %.3g", mae[0][1], mae[0][0]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "with %d of %d training targets moved %s standard deviations, the held-out "
                + "MAE is %.3g under squared error and %.3g under Huber; on clean targets %.3g and %.3g", corrupted, train, shift, mae[1][0], mae[1][1],
                mae[0][0], mae[0][1]));
        LineChart c = new LineChart("Held-out mean absolute error, clean and corrupted training targets", "training targets (0: clean, 1: "
                + Math.round(100 * SHARE) + "% moved)", "MAE on clean held-out rows (standard deviations)",
                "Squared error lets the moved targets drag the fit; the Huber loss caps each one's pull.").legendBelow();
        c.add("squared error (mse)", new double[] {0, 1}, new double[] {mae[0][0], mae[1][0]});
        c.add("huber (delta 1)", new double[] {0, 1}, new double[] {mae[0][1], mae[1][1]});
        return new Result(verdict, numbers, List.of(c));
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        dev.ravine.data.Split.shuffle(p, rng);
        return p;
    }

    /** Rows order[from..to) as CSV, the target shifted where {@code moved}. */
    private static Path write(Path file, Dataset d, int[] order, int from, int to, boolean[] moved, double shift) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String f : d.featureNames()) b.append(CsvReader.quote(f)).append(',');
        b.append(CsvReader.quote(d.targetName())).append('\n');
        for (int k = from; k < to; k++) {
            int i = order[k];
            for (int j = 0; j < d.features(); j++) b.append(d.x().get(i, j)).append(',');
            b.append(d.y().get(i) + (moved != null && moved[i] ? shift : 0)).append('\n');
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }
}
