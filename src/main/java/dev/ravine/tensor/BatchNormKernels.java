package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization's passes over float32 rows [rows, width] with its statistics in double, a vector of features at
 * a time: each feature's sums still run over the rows in order, and each value goes through the same double
 * operations in the same order as {@code BatchNormLayer}'s plain loops, so the results are theirs to the last bit.
 * The floats are read a half-width vector at a time and widened ({@link DoubleSums}' layout), which needs four double
 * lanes or more ({@link #fits}). The widening and narrowing are written out at each load and store, not put in a
 * helper: vectors never cross a method boundary (the reason is in {@link Elementwise32}'s notes).
 */
public final class BatchNormKernels {
    private static final VectorSpecies<Double> D = DoubleSums.D;
    private static final VectorSpecies<Float> F = DoubleSums.F;

    private BatchNormKernels() {
    }

    public static boolean fits() {
        return D.length() >= 4;
    }

    /** sum[j] += x[i, j] over the rows, in order. */
    public static void columnSums(float[] x, int xo, int rows, int width, double[] sum) {
        int whole = D.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int at = xo + i * width, j = 0;
            for (; j < whole; j += D.length()) {
                DoubleVector xv = (DoubleVector) FloatVector.fromArray(F, x, at + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector.fromArray(D, sum, j).add(xv).intoArray(sum, j);
            }
            for (; j < width; j++) sum[j] += x[at + j];
        }
    }

    /** squares[j] += c * c with c = x[i, j] - mean[j], over the rows in order. */
    public static void centeredSquares(float[] x, int xo, int rows, int width, double[] mean, double[] squares) {
        int whole = D.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int at = xo + i * width, j = 0;
            for (; j < whole; j += D.length()) {
                DoubleVector xv = (DoubleVector) FloatVector.fromArray(F, x, at + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector c = xv.sub(DoubleVector.fromArray(D, mean, j));
                DoubleVector.fromArray(D, squares, j).add(c.mul(c)).intoArray(squares, j);
            }
            for (; j < width; j++) {
                double c = x[at + j] - mean[j];
                squares[j] += c * c;
            }
        }
    }

    /** y[i, j] = (float) (x[i, j] alpha[j] + shift[j]). */
    public static void affine(float[] x, int xo, int rows, int width, double[] alpha, double[] shift, float[] y, int yo) {
        int whole = D.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int at = xo + i * width, to = yo + i * width, j = 0;
            for (; j < whole; j += D.length()) {
                DoubleVector xv = (DoubleVector) FloatVector.fromArray(F, x, at + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector yv = xv.mul(DoubleVector.fromArray(D, alpha, j)).add(DoubleVector.fromArray(D, shift, j));
                ((FloatVector) yv.convertShape(VectorOperators.D2F, F, 0)).intoArray(y, to + j);
            }
            for (; j < width; j++) y[to + j] = (float) (x[at + j] * alpha[j] + shift[j]);
        }
    }

    /** sumG[j] += g[i, j] and sumGx[j] += g[i, j] (x[i, j] - mean[j]), over the rows in order. */
    public static void gradientSums(float[] x, int xo, float[] g, int go, int rows, int width, double[] mean, double[] sumG, double[] sumGx) {
        int whole = D.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int at = xo + i * width, gat = go + i * width, j = 0;
            for (; j < whole; j += D.length()) {
                DoubleVector gv = (DoubleVector) FloatVector.fromArray(F, g, gat + j).convertShape(VectorOperators.F2D, D, 0), xv = (DoubleVector) FloatVector.fromArray(F, x, at + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector.fromArray(D, sumG, j).add(gv).intoArray(sumG, j);
                DoubleVector.fromArray(D, sumGx, j).add(gv.mul(xv.sub(DoubleVector.fromArray(D, mean, j)))).intoArray(sumGx, j);
            }
            for (; j < width; j++) {
                sumG[j] += g[gat + j];
                sumGx[j] += g[gat + j] * (x[at + j] - mean[j]);
            }
        }
    }

    /**
     * The input gradient with batch statistics: gx[i, j] = (float) ((g - c[j] - (x - mean[j]) k[j]) invStd[j] gamma[j])
     * with g = g[i, j] and x = x[i, j], c the mean of g and k = mean(g xhat) / sigma per feature.
     */
    public static void inputGradient(float[] x, int xo, float[] g, int go, int rows, int width, double[] mean, double[] c, double[] k,
                                     double[] invStd, double[] gamma, float[] gx, int gxo) {
        int whole = D.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int at = xo + i * width, gat = go + i * width, to = gxo + i * width, j = 0;
            for (; j < whole; j += D.length()) {
                DoubleVector xv = (DoubleVector) FloatVector.fromArray(F, x, at + j).convertShape(VectorOperators.F2D, D, 0), gv = (DoubleVector) FloatVector.fromArray(F, g, gat + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector centered = xv.sub(DoubleVector.fromArray(D, mean, j));
                DoubleVector v = gv.sub(DoubleVector.fromArray(D, c, j)).sub(centered.mul(DoubleVector.fromArray(D, k, j)));
                v = v.mul(DoubleVector.fromArray(D, invStd, j)).mul(DoubleVector.fromArray(D, gamma, j));
                ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(gx, to + j);
            }
            for (; j < width; j++) gx[to + j] = (float) ((g[gat + j] - c[j] - (x[at + j] - mean[j]) * k[j]) * invStd[j] * gamma[j]);
        }
    }
}
