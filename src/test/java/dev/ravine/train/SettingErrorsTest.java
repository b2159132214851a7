package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.UserError;
import dev.ravine.cli.Cli;
import org.junit.jupiter.api.Test;

/** The library names the setting at fault; the command line names the flag that sets it. */
class SettingErrorsTest {
    @Test
    void theLibraryNamesTheSettingAndTheCommandLineItsFlag() {
        UserError e = assertThrows(UserError.class, () -> new TrainConfig(-1, 32, true, 0));
        assertEquals("epochs", e.setting());
        assertEquals("epochs -1: expected 0 or more", e.getMessage());
        assertEquals("ravine: --epochs -1: expected 0 or more\n", Cli.run("train", "--epochs", "-1").err());
        UserError clip = assertThrows(UserError.class, () -> new TrainConfig(1, 32, true, 0, null, false, -2, Double.NaN, null, null, null, null, null, null));
        assertEquals("clip-norm -2.0: expected a positive number", clip.getMessage());
        assertEquals("ravine: --clip-norm -2: expected a positive number\n", Cli.run("train", "--clip-norm", "-2").err());
        assertEquals("ravine: --threads 0: expected 1 to " + Threads.MAX + "\n", Cli.run("train", "--threads", "0").err());
    }

    /** --rows keeps the data's first N rows, before the split, and run.json keeps the count for the analyses. */
    @Test
    void rowsTrainsOnTheFirstRowsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path run = tmp.resolve("few");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--rows", "100", "--epochs", "1", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals(100, json.get("settings").get("rows").asInt());
        assertEquals(80, json.get("data").get("train_rows").asInt());
        assertEquals(20, json.get("data").get("val_rows").asInt());
        assertEquals(80, SavedRun.load(run).trainingRows(dev.ravine.tensor.DType.FLOAT64).rows(), "the analyses rebuild the same rows");
        Cli many = Cli.run("train", "--data", "breast_cancer", "--rows", "1000", "--epochs", "1", "--out", tmp.resolve("x").toString());
        assertEquals(2, many.exit());
        assertEquals("ravine: --rows 1000: breast_cancer has only 569 rows", many.err().strip());
    }
}
