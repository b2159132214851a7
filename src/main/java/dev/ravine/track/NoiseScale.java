package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;

/**
 * {@code --track noise_scale}: the simple gradient noise scale B_simple = tr(Sigma) / |G|^2 (McCandlish et al. 2018)
 * from the per-example gradients g_i of the data loss on a fixed batch of B training rows ({@code batch=B}, default
 * 64): G is their mean and tr(Sigma) = sum_i |g_i - G|^2 / (B - 1). Batches well below B_simple waste steps on
 * noise; batches well above it waste examples.
 */
final class NoiseScale extends Instrument {
    NoiseScale(Network trained, Probe probe, Track track, TrackLog log) {
        super(trained, probe, track, log);
    }

    @Override
    void measure(long moment, java.util.Map<String, Number> into, double lr) {
        into.put("noise_scale", of(probe));
    }

    /**
     * B_simple over the probe's rows at its current weights, from one batched pass: the mean gradient G and each
     * row's |g_i|^2 (Network.rowGradientNorms), with tr(Sigma) = (sum_i |g_i|^2 - B |G|^2) / (B - 1); row by row
     * when a layer couples the rows.
     */
    static double of(Probe probe) {
        Network net = probe.model().network;
        int b = probe.rows().rows();
        if (b > net.capacity()) return rowByRow(probe);
        Tensor in = net.input(b), targets = Tensor.zeros(probe.rows().y().dtype, b, probe.rows().y().cols);
        for (int i = 0; i < b; i++) {
            dev.ravine.data.Dataset.copyRow(probe.rows().x(), i, in, i);
            dev.ravine.data.Dataset.copyRow(probe.rows().y(), i, targets, i);
        }
        net.lossAndGradient(targets, probe.loss, false);
        double squared = 0;
        for (int j = 0, p = net.parameterCount(); j < p; j++) squared += net.gradients().get(j) * net.gradients().get(j);
        double[] rows = net.rowGradientNorms();
        return rows == null ? rowByRow(probe) : fromNorms(rows, squared);
    }

    /** B_simple from the B rows' |g_i|^2 and |G|^2: tr(Sigma) = (sum_i |g_i|^2 - B |G|^2) / (B - 1), over |G|^2. */
    static double fromNorms(double[] rows, double squared) {
        double sum = 0;
        for (double r : rows) sum += r;
        int b = rows.length;
        return (sum - b * squared) / (b - 1) / squared;
    }

    /**
     * The definition itself: every row's gradient from its own pass. A row's own pass divides by its own weight, so
     * with class weights g_i is scaled by B w_i / W, which makes the rows' mean the batch's gradient, as the batched
     * pass's rows are.
     */
    private static double rowByRow(Probe probe) {
        Network net = probe.model().network;
        int b = probe.rows().rows(), p = net.parameterCount();
        double[][] g = new double[b][];
        double[] mean = new double[p];
        Tensor target = Tensor.zeros(probe.rows().y().dtype, 1, probe.rows().y().cols);
        double total = probe.loss.normalizer(probe.rows().y());
        for (int i = 0; i < b; i++) {
            dev.ravine.data.Dataset.copyRow(probe.rows().x(), i, net.input(1), 0);
            dev.ravine.data.Dataset.copyRow(probe.rows().y(), i, target, 0);
            net.lossAndGradient(target, probe.loss, false);
            g[i] = net.gradients().toDoubleArray();
            double scale = b * probe.loss.normalizer(target) / total; // 1 without class weights
            if (scale != 1) for (int j = 0; j < p; j++) g[i][j] *= scale;
            for (int j = 0; j < p; j++) mean[j] += g[i][j] / b;
        }
        double trace = 0, squared = 0;
        for (double[] gi : g) for (int j = 0; j < p; j++) trace += (gi[j] - mean[j]) * (gi[j] - mean[j]);
        for (double v : mean) squared += v * v;
        return trace / (b - 1) / squared;
    }
}
