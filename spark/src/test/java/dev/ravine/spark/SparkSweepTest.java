package dev.ravine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Main;
import dev.ravine.sweep.Sweep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same grid through the local engine and through Spark (local[2]): the same figures in results.csv. */
class SparkSweepTest {
    private static final String[] GRID = {"sweep", "--data", "breast_cancer", "--model", "mlp:8:relu", "--epochs", "5", "--optimizer",
            "adam:lr={1e-3,1e-2,1e-1}", "--optimizer", "sgd:lr={0.01,0.1},momentum=0.9", "--seeds", "0,1"};

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        return text;
    }

    /** results.csv without its seconds column. */
    private static List<String> figures(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(Sweep.RESULTS))) out.add(line.substring(0, line.lastIndexOf(',')));
        return out;
    }

    @Test
    void sparkTasksGiveTheLocalEnginesFigures(@TempDir Path tmp) throws Exception {
        List<String> local = new ArrayList<>(List.of(GRID)), spark = new ArrayList<>(List.of(GRID));
        local.addAll(List.of("--engine", "local", "--out", tmp.resolve("local").toString()));
        spark.addAll(List.of("--engine", "spark", "--master", "local[2]", "--out", tmp.resolve("spark").toString()));
        run(local.toArray(String[]::new));
        run(spark.toArray(String[]::new));
        List<String> a = figures(tmp.resolve("local")), b = figures(tmp.resolve("spark"));
        assertEquals(1 + 5 * 2, a.size());
        assertEquals(a, b, "the same seeds, the same numbers, whichever engine ran them");
        assertTrue(a.stream().skip(1).allMatch(l -> l.contains(",ok,")), String.join("\n", a));
        String html = Files.readString(tmp.resolve("spark").resolve(Sweep.REPORT));
        assertTrue(html.contains("Learning-rate sensitivity") && html.contains("data:image/png;base64,"), "the report shows the sensitivity curves");
        // the same command again: every run has its row, nothing is trained, no Spark job starts
        String again = run(spark.toArray(String[]::new));
        assertTrue(!again.contains("ravine: ["), again);
    }
}
