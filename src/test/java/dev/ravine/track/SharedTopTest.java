package dev.ravine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.report.MetricsTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sharpness that reads the overlap's top eigenpair: the same figure, without products of its own where it can. */
class SharedTopTest {
    /** A symmetric 120 x 120 matrix with eigenvalues -1 ... 2 and a top one of 3, in a random orthogonal basis. */
    private static double[][] matrix() {
        int n = 120;
        SplittableRandom rng = new SplittableRandom(7);
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) { // Gram-Schmidt on random columns
            for (int i = 0; i < n; i++) q[i][j] = rng.nextGaussian();
            for (int p = 0; p < j; p++) {
                double d = 0;
                for (int i = 0; i < n; i++) d += q[i][j] * q[i][p];
                for (int i = 0; i < n; i++) q[i][j] -= d * q[i][p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i][j] * q[i][j];
            for (int i = 0; i < n; i++) q[i][j] /= Math.sqrt(norm);
        }
        double[][] a = new double[n][n];
        for (int k = 0; k < n; k++) {
            double lambda = k == n - 1 ? 3 : -1 + 3.0 * k / (n - 2);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] += lambda * q[i][k] * q[j][k];
        }
        return a;
    }

    private static final class Counted {
        final LinearOperator dense = LinearOperator.of(matrix());
        int products;
        final LinearOperator operator = LinearOperator.of(dense.dimension(), (v, hv) -> {
            products++;
            dense.apply(v, hv);
        });
    }

    @Test
    void sharpnessIsTheOverlapsTopValueWhereBothMeasure() {
        Counted h = new Counted();
        double alone = new TopEigen.Follower(1e-8).next(h.dense);
        assertEquals(3, alone, 1e-8);
        SharedTop shared = new SharedTop(new Track("subspace_overlap", 1, 2, Map.of()), 3, 1e-10);
        TopEigen.Follower own = new TopEigen.Follower(1e-8);

        double overlapsTop = shared.at(4, h.operator).values()[0]; // the overlap first, then the sharpness
        int found = h.products;
        assertEquals(overlapsTop, shared.sharpness(4, h.operator, own));
        assertEquals(found, h.products, "no products of its own");
        assertEquals(alone, overlapsTop, 1e-8 * alone);

        double sharpness = shared.sharpness(6, h.operator, own); // the sharpness first: the overlap reads what it found
        int afterSharpness = h.products;
        assertTrue(afterSharpness > found);
        assertEquals(sharpness, shared.at(6, h.operator).values()[0]);
        assertEquals(afterSharpness, h.products, "found once for the moment");

        assertEquals(alone, shared.sharpness(7, h.operator, own), 1e-8 * alone, "a step the overlap skips: the sharpness's own run");
        assertTrue(h.products > afterSharpness);
    }

    @Test
    void aTighterSharpnessRefinesFromTheOverlapsVector() {
        Counted h = new Counted();
        SharedTop shared = new SharedTop(new Track("subspace_overlap", 1, 1, Map.of()), 1, 1e-2);
        TopEigen.Follower own = new TopEigen.Follower(1e-12);
        var loose = shared.at(1, h.operator);
        int found = h.products;
        assertTrue(loose.residuals()[0] > 1e-12 * loose.values()[0], "the overlap stopped short of the sharpness's tolerance");
        double sharpness = shared.sharpness(1, h.operator, own);
        assertTrue(h.products > found, "its own products");
        assertEquals(3, sharpness, 1e-11);
    }

    @Test
    void epochEndsAreMomentsOfTheirOwn() {
        Counted h = new Counted();
        SharedTop everyOther = new SharedTop(new Track("subspace_overlap", 2, 0, Map.of()), 2, 1e-10);
        TopEigen.Follower own = new TopEigen.Follower(1e-8);
        everyOther.sharpness(SharedTop.epochEnd(2), h.operator, own);
        int atEpoch2 = h.products;
        everyOther.at(SharedTop.epochEnd(2), h.operator);
        assertEquals(atEpoch2, h.products, "epoch 2's end: the overlap's moment");
        everyOther.sharpness(SharedTop.epochEnd(3), h.operator, own);
        assertTrue(h.products > atEpoch2, "epoch 3: the sharpness alone");
        int before = h.products;
        everyOther.sharpness(2, h.operator, own);
        assertTrue(h.products > before, "a step is no epoch's end");
        assertFalse(SharedTop.epochEnd(0) >= 0);
    }

    /** In training: sharpness tracked beside subspace_overlap gives the figures it gives alone, on minibatches and on the probe. */
    @Test
    void trackedBesideTheOverlapTheSharpnessIsUnchanged(@TempDir Path tmp) throws Exception {
        for (String mode : new String[] {"minibatch=true", "rows=300"}) {
            double[][] columns = new double[2][];
            for (int with = 0; with < 2; with++) {
                Path run = tmp.resolve(mode.replace('=', '_') + with);
                String track = "sharpness:steps=2," + mode + (with == 1 ? ",subspace_overlap:steps=4,k=3,tolerance=1e-10," + mode : "");
                Cli r = Cli.run("train", "--data", "digits", "--model", "mlp:8:tanh", "--epochs", "2", "--batch", "200", "--dtype", "float64",
                        "--optimizer", "adam:lr=0.01", "--track", track, "--out", run.toString(), "--format", "json");
                assertEquals(0, r.exit(), r::toString);
                columns[with] = MetricsTable.read(run.resolve(TrackLog.FILE)).column("sharpness");
            }
            assertEquals(columns[0].length, columns[1].length);
            assertTrue(columns[0].length >= 6, mode);
            for (int s = 0; s < columns[0].length; s++)
                assertEquals(columns[0][s], columns[1][s], 1e-9 * Math.abs(columns[0][s]), mode + ", measurement " + s);
        }
    }
}
