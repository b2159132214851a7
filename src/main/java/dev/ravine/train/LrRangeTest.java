package dev.ravine.train;

import dev.ravine.UserError;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate range test (Smith 2017, "Cyclical learning rates for training neural networks", section 3.3;
 * Lightning's {@code lr_find} and fastai's): minibatch steps from a run's initial weights, each at a higher rate than
 * the last, spaced evenly in log from the lowest to the highest, recording each step's minibatch loss smoothed as an
 * exponential moving average (beta 0.98, bias-corrected as Adam corrects its moments). The test stops once the
 * smoothed loss passes four times its lowest: the rate has left the stable range. The suggestion is the rate where
 * the smoothed loss falls fastest against the log of the rate, skipping the first ten points and the last (as
 * Lightning's {@code suggestion()} skips them); beside it, 2/lambda_max of {@code ravine hessian} bounds the stable step of plain
 * gradient descent.
 */
public final class LrRangeTest {
    /** The smoothing of the loss, and how far above its lowest the smoothed loss may go before the test stops. */
    public static final double BETA = 0.98, STOP_ABOVE_LOWEST = 4;
    /** Points left out of the suggestion at the start (a loss still settling) and at the end (the divergence). */
    static final int SKIP_BEGIN = 10, SKIP_END = 1;

    /** One step: its number (from 1), the rate it took, its minibatch loss and the smoothed loss so far. */
    public record Point(int step, double lr, double loss, double smoothed) {
    }

    /**
     * @param suggestedLr the rate of the steepest fall of the smoothed loss; null when fewer than two points are left
     *                    after the skipped ones
     * @param stoppedEarly whether the loss diverged (smoothed above four times its lowest, or not finite) before the
     *                     highest rate
     */
    public record Result(List<Point> points, Double suggestedLr, boolean stoppedEarly) {
    }

    private LrRangeTest() {
    }

    /**
     * Runs the test on {@code run}'s model from its initial weights, with its optimizer, minibatches, penalty and
     * clipping, over {@code steps} rates from {@code minLr} to {@code maxLr}. The model's weights are left where the
     * test ends: a run to train is built anew.
     */
    public static Result run(TrainingRun run, double minLr, double maxLr, int steps) {
        if (run.optimizer == null)
            throw UserError.setting("optimizer", run.settings.optimizer(), "the range test steps a minibatch optimizer at rates it sets; "
                    + run.minimizer.name() + " chooses its own steps");
        if (run.optimizer instanceof dev.ravine.optim.Rprop)
            throw UserError.setting("optimizer", run.settings.optimizer(), "the range test steps a minibatch optimizer at rates it sets; "
                    + "rprop takes the rate only as its first step sizes and adapts them itself");
        if (!(minLr > 0) || Double.isInfinite(minLr)) throw UserError.setting("min-lr", minLr, "expected a positive number");
        if (!(maxLr > minLr) || Double.isInfinite(maxLr)) throw UserError.setting("max-lr", maxLr, "expected a number above --min-lr " + minLr);
        if (steps < 2 || steps > 1_000_000) throw UserError.setting("steps", steps, "expected 2 to 1000000");
        TrainConfig config = run.settings.loop();
        if (config.schedule() != null) throw UserError.setting("schedule", config.schedule(), "the range test sets the learning rate itself");
        if (config.augment() != null) throw UserError.setting("augment", null, "the range test steps on the rows as they are");
        String noRun = "the range test keeps no run to stop, checkpoint or watch";
        if (config.earlyStop() != null) throw UserError.setting("early-stop", null, noRun);
        if (config.swa() != null) throw UserError.setting("swa", null, noRun);
        if (config.sam() != null) throw UserError.setting("sam", null, "the range test measures the loss of plain steps at the rates it sets");
        if (config.lookahead() != null) throw UserError.setting("lookahead", null, "the range test measures the loss of plain steps at the rates it sets");
        if (run.settings.checkpointEvery() != null) throw UserError.setting("checkpoint-every", null, noRun);
        if (!run.settings.track().isEmpty()) throw UserError.setting("track", null, noRun);
        Network net = run.model.network;
        Dataset train = run.split.train();
        int n = train.rows(), batch = Math.min(config.batch(), n), epoch = 0, from = n;
        Minibatch minibatch = new Minibatch(train, net.capacity());
        run.optimizer.alignWith(net.tensorBounds());
        Penalty.On penalty = config.penalty().active() ? config.penalty().on(net) : null;
        int[] order = new int[n];
        List<Point> points = new ArrayList<>();
        double average = 0, lowest = Double.POSITIVE_INFINITY;
        boolean stopped = false;
        try (var _ = Trainer.serialIfSmall(batch, net)) {
            for (int k = 0; k < steps; k++) {
                if (from + batch > n) { // a new epoch: the batches are whole, so every step averages the same number of rows
                    MinibatchTrainer.ordering(order, config, ++epoch);
                    net.startEpoch(epoch);
                    from = 0;
                }
                minibatch.gather(net.input(batch), order, from, batch);
                from += batch;
                double lr = minLr * Math.pow(maxLr / minLr, (double) k / (steps - 1));
                double loss = net.lossAndGradient(minibatch.targets(), run.loss);
                if (!Double.isFinite(loss)) {
                    stopped = true;
                    break;
                }
                average = BETA * average + (1 - BETA) * loss;
                double smoothed = average / (1 - Math.pow(BETA, k + 1));
                points.add(new Point(k + 1, lr, loss, smoothed));
                if (k > 1 && smoothed > STOP_ABOVE_LOWEST * lowest) {
                    stopped = true;
                    break;
                }
                lowest = Math.min(lowest, smoothed);
                MinibatchTrainer.stepGradient(net, run.loss, minibatch.targets(), run.optimizer, penalty, config);
                run.optimizer.step(net.parameters(), net.gradients(), lr);
            }
        }
        return new Result(points, suggestion(points), stopped);
    }

    /**
     * The rate at the most negative slope of the smoothed loss against the log of the rate (the plot's own axes, as
     * fastai's {@code steep} reads it), over the points left after the skipped ones: central differences inside,
     * one-sided ones at the two ends, as {@code torch.gradient} computes them. (Against the rate itself, as Lightning
     * differentiates, the first points' tiny spacing makes any noise there the steepest fall.)
     */
    static Double suggestion(List<Point> points) {
        int from = SKIP_BEGIN, to = points.size() - SKIP_END; // [from, to)
        if (to - from < 2) return null;
        int m = to - from, best = 0;
        double[] x = new double[m], f = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = Math.log(points.get(from + i).lr());
            f[i] = points.get(from + i).smoothed();
        }
        double steepest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            int lo = Math.max(i - 1, 0), hi = Math.min(i + 1, m - 1);
            double slope = (f[hi] - f[lo]) / (x[hi] - x[lo]);
            if (slope < steepest) {
                steepest = slope;
                best = i;
            }
        }
        return points.get(from + best).lr();
    }
}
