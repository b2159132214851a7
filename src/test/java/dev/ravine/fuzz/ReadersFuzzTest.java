package dev.ravine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ravine.UserError;
import dev.ravine.data.CsvReader;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Task;
import dev.ravine.data.Vocabulary;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the three file readers: whatever the bytes, a reader returns or refuses with a
 * {@link UserError}, the one-line message the command line prints; any other exception, or a hang, is a finding.
 * Plain {@code mvn test} replays the seed corpus in {@code src/test/resources/dev/ravine/fuzz/ReadersFuzzTestInputs}
 * and every crash kept there; {@code JAZZER_FUZZ=1} fuzzes (see {@code .ci/run}).
 */
class ReadersFuzzTest {
    private static final Path NAME = Path.of("fuzzed");

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] input) {
        try {
            Safetensors.read(NAME, input);
        } catch (UserError expected) {
            // a clean refusal is the point
        }
    }

    @FuzzTest(maxDuration = "30s")
    void csv(byte[] input) throws Exception {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        for (Task task : new Task[] {null, Task.CLASSIFICATION, Task.REGRESSION}) {
            try {
                CsvReader.read(new BufferedReader(new StringReader(text)), "fuzzed.csv", null, task, DType.FLOAT32, true);
            } catch (UserError expected) {
                // a clean refusal is the point
            }
        }
        try { // read by a run's vocabulary (class names, categories of a column), missing features let through
            CsvReader.read(new BufferedReader(new StringReader(text)), "fuzzed.csv", null, Task.CLASSIFICATION, DType.FLOAT32, true,
                    new Vocabulary(List.of("cat", "1", "dog"), Map.of("a", List.of("x", "2", "y"))), true);
        } catch (UserError expected) {
            // a clean refusal is the point
        }
    }

    @FuzzTest(maxDuration = "30s")
    void idx(byte[] input) {
        // the first byte splits the rest into an images file and a labels file
        int cut = input.length == 0 ? 0 : Math.min(input.length - 1, (input[0] & 0xff) * 4);
        byte[] images = java.util.Arrays.copyOfRange(input, input.length == 0 ? 0 : 1, Math.max(input.length == 0 ? 0 : 1, cut));
        byte[] labels = java.util.Arrays.copyOfRange(input, Math.max(input.length == 0 ? 0 : 1, cut), input.length);
        try {
            IdxReader.read(new ByteArrayInputStream(images), Path.of("images"), new ByteArrayInputStream(labels), Path.of("labels"), "fuzzed", DType.FLOAT32);
        } catch (UserError expected) {
            // a clean refusal is the point
        }
    }
}
