package dev.ravine.train;

import dev.ravine.tensor.Tensor;

/**
 * The running average of a network's weights, {@code torch.optim.swa_utils.AveragedModel}'s default: the first
 * update copies them, the n-th moves the average by (w - avg) / n, each operation rounded in the weights' dtype as
 * PyTorch rounds it. Batch-norm buffers are not averaged (AveragedModel's default).
 */
final class AveragedWeights {
    final Tensor average;
    /** AveragedModel's {@code n_averaged}. */
    long count;

    AveragedWeights(Tensor like) {
        average = Tensor.zeros(like.dtype, 1, like.size());
    }

    void update(Tensor weights) {
        boolean single = weights.f != null;
        for (int i = 0, n = weights.size(); i < n; i++) {
            if (count == 0) {
                average.set(i, weights.get(i));
                continue;
            }
            double a = average.get(i), d = weights.get(i) - a;
            if (single) d = (float) d;
            double step = d / (count + 1);
            if (single) step = (float) step;
            average.set(i, a + step);
        }
        count++;
    }
}
