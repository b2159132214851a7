package dev.ravine.data;

import dev.ravine.optim.Spec;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Data augmentation for square images, applied to each minibatch row as training draws it: a random translation
 * by up to {@code shift} pixels each way (zeros shifted in), an elastic distortion as in Simard, Steinkraus &amp;
 * Platt 2003 (a field of uniform [-1, 1] displacements smoothed by a Gaussian of std {@code sigma} pixels, scaled
 * by {@code elastic}, sampled bilinearly), then Gaussian pixel noise of std {@code noise} in the data's own units.
 * Pixels are distorted before standardization: a standardized row is mapped back, changed and standardized again.
 */
public record Augmentation(int shift, double noise, double elastic, double sigma) {
    public static final Augmentation DEFAULTS = new Augmentation(0, 0, 0, 4);

    public Augmentation {
        if (shift < 0) throw new IllegalArgumentException("shift must be 0 or more pixels, got " + shift);
        if (!(noise >= 0) || !Double.isFinite(noise)) throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
        if (!(elastic >= 0) || !Double.isFinite(elastic)) throw new IllegalArgumentException("elastic must be a finite number >= 0, got " + elastic);
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException("sigma must be a positive number, got " + sigma);
    }

    /** {@code shift=K,noise=S,elastic=A,sigma=G}, any of them. */
    public static Augmentation parse(String option, String text) {
        return new Spec(option, text, "augmentation", Spec.pairs(option, text, text)).bind(DEFAULTS);
    }

    /** Augments rows of side x side pixels, standardized by {@code scaling} (null: raw), with draws from (seed, epoch, batch). */
    public Augmenter on(int side, Standardization scaling, long seed) {
        return new Augmenter(side, scaling, seed);
    }

    public final class Augmenter {
        private final int side;
        private final Standardization scaling;
        private final long seed;
        private final double[] image, moved, dx, dy, kernel;

        private Augmenter(int side, Standardization scaling, long seed) {
            this.side = side;
            this.scaling = scaling;
            this.seed = seed;
            int n = side * side;
            image = new double[n];
            moved = new double[n];
            dx = new double[n];
            dy = new double[n];
            int radius = (int) Math.ceil(3 * sigma);
            kernel = new double[2 * radius + 1];
            double sum = 0;
            for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            for (int i = 0; i < kernel.length; i++) kernel[i] /= sum;
        }

        /** Augments the first {@code rows} rows of {@code x} in place; the draws depend only on (seed, epoch, batch). */
        public void apply(Tensor x, int rows, int epoch, int batch) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + batch);
            int n = side * side;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    double v = x.get(r * n + j);
                    image[j] = scaling == null ? v : v * scaling.std()[j] + scaling.mean()[j];
                }
                if (shift > 0) translate(rng.nextInt(-shift, shift + 1), rng.nextInt(-shift, shift + 1));
                if (elastic > 0) distort(rng);
                for (int j = 0; j < n; j++) {
                    double v = image[j] + (noise > 0 ? noise * rng.nextGaussian() : 0);
                    x.set(r * n + j, scaling == null ? v : (v - scaling.mean()[j]) / scaling.std()[j]);
                }
            }
        }

        /** image(r, c) = image(r - down, c - right), zero where that falls outside. */
        private void translate(int down, int right) {
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++) {
                    int sr = r - down, sc = c - right;
                    moved[r * side + c] = sr >= 0 && sr < side && sc >= 0 && sc < side ? image[sr * side + sc] : 0;
                }
            System.arraycopy(moved, 0, image, 0, image.length);
        }

        private void distort(SplittableRandom rng) {
            for (int j = 0; j < dx.length; j++) {
                dx[j] = rng.nextDouble(-1, 1);
                dy[j] = rng.nextDouble(-1, 1);
            }
            smooth(dx);
            smooth(dy);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++) {
                    int j = r * side + c;
                    moved[j] = bilinear(r + elastic * dy[j], c + elastic * dx[j]);
                }
            System.arraycopy(moved, 0, image, 0, image.length);
        }

        /** Gaussian smoothing, separable, zeros beyond the border (as scipy's mode="constant"). */
        private void smooth(double[] field) {
            int radius = kernel.length / 2;
            double[] tmp = moved;
            for (int pass = 0; pass < 2; pass++) {
                for (int r = 0; r < side; r++)
                    for (int c = 0; c < side; c++) {
                        double s = 0;
                        for (int k = -radius; k <= radius; k++) {
                            int rr = pass == 0 ? r : r + k, cc = pass == 0 ? c + k : c;
                            if (rr >= 0 && rr < side && cc >= 0 && cc < side) s += kernel[k + radius] * field[rr * side + cc];
                        }
                        tmp[r * side + c] = s;
                    }
                System.arraycopy(tmp, 0, field, 0, field.length);
            }
        }

        private double bilinear(double r, double c) {
            int r0 = (int) Math.floor(r), c0 = (int) Math.floor(c);
            double fr = r - r0, fc = c - c0;
            return (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c0 + 1)) + fr * ((1 - fc) * at(r0 + 1, c0) + fc * at(r0 + 1, c0 + 1));
        }

        private double at(int r, int c) {
            return r >= 0 && r < side && c >= 0 && c < side ? image[r * side + c] : 0;
        }
    }
}
