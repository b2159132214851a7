package dev.ravine.train;

import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.tensor.Tensor;

/**
 * A classifier's softmax probabilities for every row of a data set, in inference mode and in chunks of the
 * network's capacity, with each row's true class and predicted class (the logits' argmax, as {@code torch.argmax}).
 *
 * @param p         p[i][k], row i's probability of class k
 * @param truth     row i's class
 * @param predicted row i's predicted class
 */
public record ClassProbabilities(double[][] p, int[] truth, int[] predicted) {
    public static ClassProbabilities of(Network net, Dataset data) {
        int n = data.rows(), k = net.outputWidth();
        double[][] p = new double[n][k];
        int[] truth = new int[n], predicted = new int[n];
        for (int start = 0; start < n; start += net.capacity()) {
            int rows = Math.min(net.capacity(), n - start);
            Tensor x = net.input(rows);
            for (int i = 0; i < rows; i++) Dataset.copyRow(data.x(), start + i, x, i);
            Tensor z = net.forward(false);
            for (int i = 0; i < rows; i++) {
                softmax(z, i, p[start + i]);
                predicted[start + i] = Evaluation.argmax(z, i);
                truth[start + i] = (int) data.y().get(start + i);
            }
        }
        return new ClassProbabilities(p, truth, predicted);
    }

    /** The true classes against the predicted ones, as {@link Evaluation} counts them in its own pass. */
    public ConfusionMatrix confusion() {
        ConfusionMatrix m = ConfusionMatrix.of(p.length == 0 ? 0 : p[0].length);
        for (int i = 0; i < truth.length; i++) if (truth[i] < m.classes()) m.add(truth[i], predicted[i]);
        return m;
    }

    /** softmax of row {@code row} of {@code z} into {@code p}, the maximum subtracted first. */
    public static void softmax(Tensor z, int row, double[] p) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < p.length; j++) max = Math.max(max, z.get(row, j));
        for (int j = 0; j < p.length; j++) sum += p[j] = Math.exp(z.get(row, j) - max);
        for (int j = 0; j < p.length; j++) p[j] /= sum;
    }
}
