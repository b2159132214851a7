package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train_accuracy is the training split's accuracy in evaluation mode after the epoch: what evaluate says of those rows. */
class TrainAccuracyTest {
    @Test
    void theColumnIsTheTrainingRowsAccuracyAfterTheEpoch(@TempDir Path tmp) throws Exception {
        String csv = Path.of("src/test/resources/golden/parity/adam_tanh.csv").toString();
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", csv, "--model", "mlp:8:tanh", "--epochs", "3", "--val", "0", "--standardize", "off",
                "--format", "json", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().strip().split("\n");
        JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
        Cli e = Cli.run("evaluate", run.toString(), "--data", csv, "--format", "json");
        assertEquals(0, e.exit(), e::toString);
        assertEquals(new ObjectMapper().readTree(e.out()).get("accuracy").asDouble(), last.get("train_accuracy").asDouble(), 0);

        Cli regression = Cli.run("train", "--data", "diabetes", "--epochs", "1", "--format", "json", "--out", tmp.resolve("r").toString());
        assertEquals(0, regression.exit(), regression::toString);
        assertFalse(new ObjectMapper().readTree(regression.out().strip()).has("train_accuracy"), "no accuracy for regression");
    }
}
