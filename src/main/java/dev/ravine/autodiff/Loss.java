package dev.ravine.autodiff;

import dev.ravine.tensor.Tensor;

/**
 * The mean of a per-example loss over a minibatch, as a function of the network's output z. Targets are a
 * tensor with one row per example (a class index for classification, the values for regression).
 */
public interface Loss {
    /** Width of the target rows this loss expects for a network with {@code outputs} outputs. */
    int targetWidth(int outputs);

    /**
     * What the mean divides by over these rows: their count, or for a loss that weighs rows (cross-entropy with class
     * weights) their summed weight. A mean over a set taken in chunks weighs each chunk's mean by its normalizer over
     * the set's.
     */
    default double normalizer(Tensor targets) {
        return targets.rows();
    }

    /** The mean loss; the gradient dL/dz goes into {@code gz} when it is non-null. */
    double forwardBackward(Tensor z, Tensor targets, Tensor gz);

    /** R{dL/dz} = (d^2 L / dz^2) rz: the loss's own curvature in direction rz ({@code rgz} is neither z nor rz). */
    void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz);

    /**
     * Targets drawn from the model's own predictive distribution at outputs z (a class from softmax(z), or z plus
     * the Gaussian noise that makes mean squared error a likelihood): gradients at such targets average to the
     * true Fisher, the one natural gradient wants (Martens &amp; Grosse 2015, section 5).
     */
    void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng);
}
