package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.tensor.Tensor;

/**
 * The mean loss of a network over every row of a data set, with accuracy and the confusion matrix (classification)
 * or RMSE (regression), in inference mode and in chunks of the network's capacity.
 *
 * @param confusion the true classes against the predicted ones; null for regression
 */
public record Evaluation(int rows, double loss, Double accuracy, Double rmse, ConfusionMatrix confusion) {
    public static Evaluation of(Network net, Loss loss, Dataset data) {
        int n = data.rows(), chunk = net.capacity();
        Tensor targets = Tensor.zeros(data.y().dtype, chunk, data.y().cols);
        double lossSum = 0, squaredError = 0;
        long correct = 0;
        boolean classification = data.task() == Task.CLASSIFICATION;
        ConfusionMatrix confusion = classification ? ConfusionMatrix.of(net.outputWidth()) : null;
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            Tensor x = net.input(rows);
            targets.setRows(rows);
            for (int i = 0; i < rows; i++) {
                Dataset.copyRow(data.x(), start + i, x, i);
                Dataset.copyRow(data.y(), start + i, targets, i);
            }
            Tensor out = net.forward(false);
            lossSum += loss.forwardBackward(out, targets, null) * rows;
            for (int i = 0; i < rows; i++) {
                if (classification) {
                    int predicted = argmax(out, i), truth = (int) targets.get(i);
                    if (predicted == truth) correct++;
                    if (truth < confusion.classes()) confusion.add(truth, predicted);
                } else {
                    for (int j = 0; j < out.cols; j++) {
                        double r = out.get(i, j) - targets.get(i, j);
                        squaredError += r * r;
                    }
                }
            }
        }
        return new Evaluation(n, lossSum / n, classification ? (double) correct / n : null,
                classification ? null : Math.sqrt(squaredError / ((double) n * net.outputWidth())), confusion);
    }

    /** The first index of the largest entry of row {@code i}, as {@code torch.argmax} breaks ties. */
    public static int argmax(Tensor t, int i) {
        int best = 0;
        for (int j = 1; j < t.cols; j++) if (t.get(i, j) > t.get(i, best)) best = j;
        return best;
    }
}
