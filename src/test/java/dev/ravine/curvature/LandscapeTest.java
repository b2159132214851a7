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
}
