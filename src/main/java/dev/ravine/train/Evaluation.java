package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.tensor.Tensor;

/**
 * The mean loss of a network over every row of a data set, with accuracy and the confusion matrix (classification)
 * or RMSE, the mean absolute error and R^2 (regression, as scikit-learn's {@code mean_absolute_error} and
 * {@code r2_score} give them, averaged over the outputs), in inference mode and in chunks of the network's capacity.
 *
 * @param confusion the true classes against the predicted ones; null for regression
 * @param mae       the mean |prediction - target|; null for classification
 * @param r2        1 - (sum of squared errors) / (sum of squared deviations of the targets from their mean), 1 where
 *                  both are 0 and 0 where only the deviations are (scikit-learn's {@code force_finite}); null for
 *                  classification
 */
public record Evaluation(int rows, double loss, Double accuracy, Double rmse, ConfusionMatrix confusion, Double mae, Double r2) {
    public static Evaluation of(Network net, Loss loss, Dataset data) {
        int n = data.rows(), chunk = net.capacity();
        Tensor targets = Tensor.zeros(data.y().dtype, chunk, data.y().cols);
        double lossSum = 0, total = loss.normalizer(data.y()); // each chunk's mean weighed by its rows (or their class weight)
        boolean classification = data.task() == Task.CLASSIFICATION;
        ConfusionMatrix confusion = classification ? ConfusionMatrix.of(net.outputWidth()) : null;
        int outputs = net.outputWidth();
        double absoluteError = 0;
        double[] residualSquares = new double[outputs], mean = new double[outputs], deviationSquares = new double[outputs]; // Welford's
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            Tensor x = net.input(rows);
            targets.setRows(rows);
            for (int i = 0; i < rows; i++) {
                Dataset.copyRow(data.x(), start + i, x, i);
                Dataset.copyRow(data.y(), start + i, targets, i);
            }
            Tensor out = net.forward(false);
            lossSum += loss.forwardBackward(out, targets, null) * loss.normalizer(targets);
            for (int i = 0; i < rows; i++) {
                if (classification) {
                    int truth = (int) targets.get(i);
                    if (truth < confusion.classes()) confusion.add(truth, argmax(out, i));
                } else {
                    long seen = start + i + 1;
                    for (int j = 0; j < out.cols; j++) {
                        double t = targets.get(i, j), r = out.get(i, j) - t, d = t - mean[j];
                        absoluteError += Math.abs(r);
                        residualSquares[j] += r * r;
                        mean[j] += d / seen;
                        deviationSquares[j] += d * (t - mean[j]);
                    }
                }
            }
        }
        if (classification) return new Evaluation(n, lossSum / total, (double) confusion.correct() / n, null, confusion, null, null);
        double r2 = 0, squaredError = 0;
        for (int j = 0; j < outputs; j++) {
            squaredError += residualSquares[j];
            r2 += deviationSquares[j] > 0 ? 1 - residualSquares[j] / deviationSquares[j] : residualSquares[j] == 0 ? 1 : 0;
        }
        return new Evaluation(n, lossSum / total, null, Math.sqrt(squaredError / ((double) n * outputs)), null, absoluteError / ((double) n * outputs),
                r2 / outputs);
    }

    /** The first index of the largest entry of row {@code i}, as {@code torch.argmax} breaks ties. */
    public static int argmax(Tensor t, int i) {
        int best = 0;
        for (int j = 1; j < t.cols; j++) if (t.get(i, j) > t.get(i, best)) best = j;
        return best;
    }
}
