package dev.ravine.experiment;

import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.track.Track;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Threads;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gradient noise scale grows as training goes on (McCandlish et al. 2018): B_simple = tr(Sigma) / |G|^2, the
 * batch size near which a larger batch stops buying a proportionally larger step, has the mean gradient's squared
 * norm below it, and that falls with the loss faster than the per-example gradients' spread does. So the batch worth
 * using grows during training, the reason to raise the batch size rather than decay the rate (Smith et al. 2018). On
 * digits (standardized), {@code MODEL} trained by SGD at batch {@code BATCH}, B_simple measured after every epoch on
 * a fixed batch of {@code PROBE} training rows ({@code --track noise_scale:batch=512}) beside the epoch's training
 * loss; the verdict reads its growth from the first epoch to the last and the rank correlation of the two series.
 */
public final class NoiseScaleGrowth implements Experiment {
    static final String MODEL = "mlp:128:relu";
    static final int EPOCHS = 20, BATCH = 32, PROBE = 512;
    /** B_simple at the last epoch at least this many times the first's, and its ranks against the loss's at most TREND. */
    static final double GROWTH = 2, TREND = -0.9;
    private final String optimizer;

    public NoiseScaleGrowth() {
        this("sgd:lr=0.1");
    }

    /** The optimizer; at {@code sgd:lr=0} nothing trains and nothing grows. */
    public NoiseScaleGrowth(String optimizer) {
        this.optimizer = optimizer;
    }

    @Override
    public String name() {
        return "noise-scale";
    }

    @Override
    public String claim() {
        return "the gradient noise scale B_simple = tr(Sigma)/|G|^2 grows as training lowers the loss, so the batch size worth using grows "
                + "during training (McCandlish et al. 2018)";
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        RunSettings s = new RunSettings(data, null, "auto", MODEL, false, optimizer, "torch", DType.FLOAT64, Threads.available(), 0.2, Scaling.ON,
                new TrainConfig(EPOCHS, BATCH, true, seed), null, Track.parse("noise_scale:batch=" + PROBE), 0);
        TrainingRun run = new TrainingRun(s);
        Experiment.classification(name(), data, run.split.train());
        List<EpochMetrics> history = run.train(new Trainer.Listener() {
        });
        int n = history.size();
        double[] epoch = new double[n], noise = new double[n], loss = new double[n];
        for (int e = 0; e < n; e++) {
            epoch[e] = e + 1;
            noise[e] = history.get(e).diagnostics().get("noise_scale").doubleValue();
            loss[e] = history.get(e).trainLoss();
        }
        double growth = noise[n - 1] / noise[0], trend = spearman(noise, loss);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("optimizer", optimizer);
        numbers.put("batch", BATCH);
        numbers.put("probe_rows", PROBE);
        numbers.put("noise_scale_by_epoch", noise);
        numbers.put("train_loss_by_epoch", loss);
        numbers.put("growth", growth);
        numbers.put("rank_correlation_with_loss", trend);
        List<String> wrong = new ArrayList<>();
        if (!(growth >= GROWTH))
            wrong.add(String.format(Locale.ROOT, "B_simple went from %.3g to %.3g, not %s times higher", noise[0], noise[n - 1], Experiment.num(GROWTH)));
        if (!(trend <= TREND)) wrong.add(String.format(Locale.ROOT, "its rank correlation with the training loss is %.2f, not %s or below", trend, TREND));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "B_simple grew from %.0f to %.0f rows (%.1fx) while the training "
                + "loss fell from %.3g to %.3g (rank correlation %.2f); the training batch is %d", noise[0], noise[n - 1], growth, loss[0], loss[n - 1], trend,
                BATCH));
        LineChart c = new LineChart("Gradient noise scale after each epoch (" + MODEL + ", " + optimizer + ", batch " + BATCH + ")", "epoch", "rows (log)",
                "B_simple = tr(Sigma)/|G|^2 on a fixed batch of " + PROBE + " training rows: as the loss falls the mean gradient shrinks faster than "
                        + "the spread around it, and the batch past which steps stop growing in proportion grows.").logY();
        c.add("B_simple", epoch, noise);
        c.add("training batch", new double[] {1, n}, new double[] {BATCH, BATCH});
        return new Result(verdict, numbers, List.of(c));
    }

    /** Spearman's rank correlation (average ranks for ties); NaN when either series is constant. */
    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += ra[i] / a.length;
            mb += rb[i] / a.length;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
            for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return r;
    }
}
