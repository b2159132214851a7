package dev.ravine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --plot} writes real PNG and SVG files, and refuses other names without leaving anything behind. */
class PlotTest {
    @Test
    void optimizeAndSchedulePlotsInBothFormats(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("paths.png"), svg = tmp.resolve("paths.svg"), lr = tmp.resolve("lr.svg");
        for (Path p : new Path[] {png, svg}) {
            Cli r = Cli.run("optimize", "--function", "himmelblau", "--optimizer", "sgd:lr=0.01", "--optimizer", "adam:lr=0.1",
                    "--optimizer", "lbfgs", "--start", "0,0", "--steps", "50", "--plot", p.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("optimizer,step,x,y,f,evals", r.out().lines().findFirst().orElseThrow());
        }
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG image");
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("himmelblau") && text.contains("adam:lr=0.1") && text.contains(">minimum<"),
                "an SVG with title, legend and the minima marked");
        assertEquals(0, Cli.run("schedule", "--schedule", "cosine:t_max=20", "--lr", "0.1", "--steps", "50", "--plot", lr.toString()).exit());
        assertTrue(Files.readString(lr).contains("<svg"));
    }

    @Test
    void badPlotNames(@TempDir Path tmp) {
        Cli r = Cli.run("optimize", "--function", "saddle", "--optimizer", "sgd", "--start", "1,1", "--steps", "3", "--plot", tmp.resolve("x.jpg").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("expected a .png or .svg file name"), r.err());
        Cli s = Cli.run("schedule", "--schedule", "step:step_size=2", "--lr", "1", "--steps", "3", "--plot", tmp.resolve("no/such/dir.png").toString());
        assertEquals(2, s.exit());
        assertTrue(s.err().contains("does not exist"), s.err());
        assertFalse(Files.exists(tmp.resolve("x.jpg")));
    }
}
