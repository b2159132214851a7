package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.Spectrum;
import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * {@code --track subspace_overlap:minibatch=true,steps=N}: the share of the step's gradient in the span of the top k
 * eigenvectors of the step's own minibatch Hessian, as {@link SubspaceOverlap} measures it on the probe, with the
 * products reusing the step's passes (and a minibatch {@code sharpness} at the same step reading the top one).
 */
final class MinibatchSubspaceOverlap extends OnMinibatch {
    private final StepPasses passes;
    private final SharedTop top;

    MinibatchSubspaceOverlap(Track track, TrackLog log, StepPasses passes, SharedTop top) {
        super(track, log);
        this.passes = passes;
        this.top = top;
    }

    @Override
    void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into) {
        Spectrum.Top found = top.at(step, passes.hessian(net, targets, loss));
        into.put("subspace_overlap", SubspaceOverlap.overlap(passes.gradient(net), found));
    }
}
