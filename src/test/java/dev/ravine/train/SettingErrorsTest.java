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
        assertEquals("ravine: --clip-norm -2.0: expected a positive number\n", Cli.run("train", "--clip-norm", "-2").err());
        assertEquals("ravine: --threads 0: expected 1 to " + Threads.MAX + "\n", Cli.run("train", "--threads", "0").err());
    }
}
