package dev.ravine.curvature;

import dev.ravine.nn.BatchNormMode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandscapeTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    private static ModelOnData small() {
        return ModelOnData.of(DIR.resolve("small_tanh.safetensors"), "mlp:64-8-10:tanh", DIR.resolve("digits300.csv").toString(),
                null, "auto", false, BatchNormMode.EVAL);
    }

    @Test
    void hessianDirectionsCurveByTheTopEigenvalues() {
        ModelOnData m = small();
        double[][] d = Landscape.hessianDirections(m, 1);
        double h = 1e-3;
        Landscape.Surface s = Landscape.surface(m, d[0], d[1], h, 3); // a, b in {-h, 0, h}
        double[] gradient = new double[m.parameters()];
        assertEquals(m.lossAndGradient(gradient), s.loss()[1][1], 1e-12, "(0, 0) is the weights themselves");
        double curvatureA = (s.loss()[2][1] - 2 * s.loss()[1][1] + s.loss()[0][1]) / (h * h);
        double curvatureB = (s.loss()[1][2] - 2 * s.loss()[1][1] + s.loss()[1][0]) / (h * h);
        double[] top = Spectrum.extremes(m.hessian(), 2, 1e-10, 1).top();
        assertEquals(top[0], curvatureA, 1e-4 * top[0], "d^2 f / da^2 along the top eigenvector");
        assertEquals(top[1], curvatureB, 1e-4 * top[0], "d^2 f / db^2 along the second");
    }

    @Test
    void randomDirectionsAreFilterNormalized() {
        ModelOnData m = small();
        double[] d = Landscape.randomDirections(m, 3)[0];
        for (int row = 0; row < 8; row++) { // first layer: 8 rows of 64 weights, then 8 biases
            double dn = 0, wn = 0;
            for (int j = 0; j < 64; j++) {
                dn += d[row * 64 + j] * d[row * 64 + j];
                wn += m.weights[row * 64 + j] * m.weights[row * 64 + j];
            }
            assertEquals(Math.sqrt(wn), Math.sqrt(dn), 1e-12);
        }
        for (int b = 0; b < 8; b++) assertEquals(0, d[8 * 64 + b], 0, "biases stay put");
    }

    @Test
    void projectionRecoversPointsInThePlane() {
        ModelOnData m = small();
        double[][] d = Landscape.randomDirections(m, 5);
        List<double[]> points = new ArrayList<>();
        for (double[] ab : new double[][] {{0, 0}, {0.3, -1.2}, {-2, 0.5}}) {
            double[] p = m.weights.clone();
            for (int i = 0; i < p.length; i++) p[i] += ab[0] * d[0][i] + ab[1] * d[1][i];
            points.add(p);
        }
        double[][] ab = Landscape.project(m, d[0], d[1], points);
        assertArrayEquals(new double[] {0.3, -1.2}, ab[1], 1e-9);
        assertArrayEquals(new double[] {-2, 0.5}, ab[2], 1e-9);
    }

    @Test
    void aRunsPathEndsAtTheOrigin(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run"), png = tmp.resolve("l.png");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--model", "mlp:4:tanh", "--epochs", "5", "--out", run.toString()).exit());
        assertTrue(Files.isRegularFile(run.resolve("trajectory.safetensors")));
        Cli r = Cli.run("landscape", run.toString(), "--grid", "5", "--plot", png.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(26, r.out().lines().count(), "header and 5 x 5 rows");
        assertTrue(Files.size(png) > 10_000);
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        double[][] d = Landscape.randomDirections(m, 0);
        double[] last = dev.ravine.tensor.Safetensors.read(run.resolve("trajectory.safetensors")).get("epoch.5").values();
        double[] ab = Landscape.project(m, d[0], d[1], List.of(last))[0];
        assertArrayEquals(new double[] {0, 0}, ab, 1e-6, "the last epoch's weights are the run's model");
    }

    /**
     * The principal directions against an independent route: EJML's SVD of the centered path matrix (n x P), whose
     * right singular vectors are the directions and whose squared singular values over their sum are scikit-learn's
     * explained variance ratios.
     */
    @Test
    void principalDirectionsAreThePathsSingularVectors() {
        ModelOnData m = small();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        int n = 9, p = m.weights.length;
        List<double[]> path = new ArrayList<>();
        for (int i = 0; i < n; i++) { // a curved path towards the weights, with noise in every coordinate
            double[] w = m.weights.clone();
            for (int j = 0; j < p; j++) w[j] += (n - 1 - i) * (0.01 * Math.sin(j) + 0.002 * (n - 1 - i) * Math.cos(3 * j)) + 1e-3 * rng.nextGaussian();
            path.add(w);
        }
        Landscape.Principal pc = Landscape.principalDirections(m, path);
        org.ejml.data.DMatrixRMaj c = new org.ejml.data.DMatrixRMaj(n, p);
        for (int j = 0; j < p; j++) {
            double mean = 0;
            for (double[] w : path) mean += (w[j] - m.weights[j]) / n;
            for (int i = 0; i < n; i++) c.set(i, j, path.get(i)[j] - m.weights[j] - mean);
        }
        var svd = org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(n, p, false, true, true);
        assertTrue(svd.decompose(c));
        double[] sigma = svd.getSingularValues();
        var v = svd.getV(null, true);
        Integer[] order = java.util.stream.IntStream.range(0, sigma.length).boxed().sorted((a, b) -> Double.compare(sigma[b], sigma[a])).toArray(Integer[]::new);
        double total = java.util.Arrays.stream(sigma).map(x -> x * x).sum();
        double[][] d = {pc.d1(), pc.d2()};
        for (int k = 0; k < 2; k++) {
            assertEquals(sigma[order[k]] * sigma[order[k]] / total, pc.explained()[k], 1e-12, "explained variance ratio " + k);
            double dot = 0;
            for (int j = 0; j < p; j++) dot += d[k][j] * v.get(order[k], j);
            assertEquals(1, Math.abs(dot), 1e-9, "direction " + k + " is the singular vector, up to sign");
            assertTrue(Landscape.project(m, d[0], d[1], List.of(path.get(0)))[0][k] < 0, "the path starts on the negative side");
        }
        assertTrue(pc.explained()[0] > 0.5 && pc.explained()[1] > 0.01, java.util.Arrays.toString(pc.explained()));
    }

    /** Projected onto its own principal plane the path keeps most of its length; onto a random plane it is a speck near the origin. */
    @Test
    void aRunsPathOnItsPrincipalPlane(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run"), png = tmp.resolve("pca.png");
        assertEquals(0, Cli.run("train", "--data", "digits", "--model", "mlp:16:relu", "--epochs", "8", "--out", run.toString()).exit());
        Cli r = Cli.run("landscape", run.toString(), "--directions", "pca", "--grid", "5", "--plot", png.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.size(png) > 10_000);
        var kept = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("analysis").resolve("landscape.json").toFile());
        double first = kept.get("explained_variance").get(0).asDouble(), second = kept.get("explained_variance").get(1).asDouble();
        assertTrue(first + second > 0.9 && first >= second, first + " " + second);
        double[] start = {kept.get("path").get(0).get(0).asDouble(), kept.get("path").get(0).get(1).asDouble()};
        assertEquals(1.1 * Math.max(Math.abs(start[0]), Math.abs(start[1])), -kept.get("a").get(0).asDouble(), 1e-9 * Math.abs(start[0]),
                "the grid reaches a tenth past the path's farthest point, the start here");
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        double[] w0 = dev.ravine.tensor.Safetensors.read(run.resolve("trajectory.safetensors")).get("epoch.0").values();
        double[][] random = Landscape.randomDirections(m, 0);
        double[] onRandom = Landscape.project(m, random[0], random[1], List.of(w0))[0];
        assertTrue(Math.hypot(onRandom[0], onRandom[1]) < 0.1 * Math.hypot(start[0], start[1]) * Math.sqrt(Lanczos.dot(random[0], random[0])),
                "the random plane misses the path");

        Cli none = Cli.run("landscape", "--weights", run.resolve("model.safetensors").toString(), "--model", "mlp:64-16-10:relu", "--data", "digits",
                "--directions", "pca");
        assertEquals(2, none.exit());
        assertEquals("ravine: --directions pca: the principal directions are the training path's; give a RUN_DIR or --run RUN_DIR\n", none.err());
        Path short1 = tmp.resolve("one");
        assertEquals(0, Cli.run("train", "--data", "digits", "--model", "mlp:16:relu", "--epochs", "1", "--out", short1.toString()).exit());
        Cli one = Cli.run("landscape", short1.toString(), "--directions", "pca");
        assertEquals(2, one.exit());
        assertTrue(one.err().startsWith("ravine: --directions pca: the principal directions of a training path need 3 or more epochs' weights, and it has 2"),
                one.err());
    }
}
