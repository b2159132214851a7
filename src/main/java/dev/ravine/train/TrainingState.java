package dev.ravine.train;

import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Everything a minibatch fit needs to go on after an epoch as if it had never stopped: the weights and buffers,
 * the optimizer's state, the metrics the schedule was stepped with (it is rebuilt by stepping a fresh one through
 * them, which repeats its rates to the last bit), early stopping's watch, the last epoch whose losses were all
 * finite, and the metrics so far. The shuffle, dropout and augmentation draw from (seed, epoch) alone and need no
 * state. Tensors are copies, owned by this record.
 *
 * @param finished whether the fit ended at this epoch (its limit, early stopping or divergence)
 * @param watch    early stopping's progress, or null without early stopping
 */
public record TrainingState(int epoch, boolean finished, Tensor weights, Tensor buffers, Map<String, Tensor> optimizerState, long optimizerSteps,
                            double[] scheduleMetrics, EarlyStopping.Progress watch, int lastGoodEpoch, double lastGoodLoss, Tensor lastGoodWeights,
                            Tensor lastGoodBuffers, List<EpochMetrics> history) {
    static Tensor copy(Tensor t) {
        Tensor c = Tensor.zeros(t.dtype, 1, t.size());
        t.copyTo(c);
        return c;
    }
}
