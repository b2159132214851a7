package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingTest {
    @Test
    void minMaxMapsTheTrainingRowsOntoZeroToOne() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 3);
        double[][] rows = {{1, -2, 5}, {3, 0, 5}, {2, 6, 5}}; // the last feature is constant
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) x.set(i, j, rows[i][j]);
        Standardization s = Scaling.MINMAX.fit(x);
        assertArrayEquals(new double[] {1, -2, 5}, s.mean());
        assertArrayEquals(new double[] {2, 8, 1}, s.std());
        s.apply(x);
        double[][] want = {{0, 0, 0}, {1, 0.25, 0}, {0.5, 1, 0}};
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(want[i][j], x.get(i, j), 0, i + "," + j);
        assertNull(Scaling.OFF.fit(x));
        assertEquals(Scaling.MINMAX, Scaling.parse("minmax"));
        assertThrows(IllegalArgumentException.class, () -> Scaling.parse("yes"));
    }

    @Test
    void aMinMaxRunKeepsItsScalingForEvaluation(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--standardize", "minmax", "--epochs", "3", "--format", "json", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        var json = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals("minmax", json.get("settings").get("standardize").asText());
        String[] lines = r.out().strip().split("\n");
        double valLoss = new ObjectMapper().readTree(lines[lines.length - 1]).get("val_loss").asDouble();
        Cli e = Cli.run("evaluate", run.toString(), "--format", "json");
        assertEquals(0, e.exit(), e::toString);
        assertEquals(valLoss, new ObjectMapper().readTree(e.out()).get("loss").asDouble(), 1e-6, "evaluate applies the run's min-max scaling");
        Cli bad = Cli.run("train", "--standardize", "maybe", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad.exit());
        assertEquals("ravine: --standardize maybe: expected on, off or minmax\n", bad.err());
    }
}
