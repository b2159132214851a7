package dev.ravine.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.UserError;
import dev.ravine.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search spaces, the results file, and sweeps that fail, diverge, run in parallel and resume. */
class SweepTest {
    @Test
    void bracesGiveEveryCombinationAndDistributionsDraws() {
        assertEquals(List.of("adam:lr=1e-3,eps=1e-8", "adam:lr=1e-3,eps=1e-6", "adam:lr=3e-3,eps=1e-8", "adam:lr=3e-3,eps=1e-6"),
                SearchSpace.parse("adam:lr={1e-3,3e-3},eps={1e-8,1e-6}").grid());
        assertEquals(List.of("sgd:lr=0.01,momentum=0.9", "sgd:lr=0.1,momentum=0.9"), SearchSpace.parse("sgd:lr={0.01, 0.1},momentum=0.9").grid());
        assertEquals(List.of("adam"), SearchSpace.parse("adam").grid());
        assertEquals(List.of("sgd:lr=0.1,momentum=0.9", "adam:lr=0.001"), Sweep.grid(List.of("sgd:lr=0.1,momentum=0.9", "adam:lr=0.001", "adam:lr=0.001")));
        SearchSpace s = SearchSpace.parse("adam:lr=loguniform(1e-4,1e-1),betas={0.9|0.999,0.8|0.99}");
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            String d = s.draw(r);
            double lr = SweepReport.lr(d);
            assertTrue(lr >= 1e-4 * 0.9999 && lr <= 1e-1 * 1.0001, d);
            assertTrue(d.endsWith(",betas=0.9|0.999") || d.endsWith(",betas=0.8|0.99"), d);
        }
        assertEquals(Sweep.random(List.of("adam:lr=loguniform(1e-4,1e-1)"), 5, 3), Sweep.random(List.of("adam:lr=loguniform(1e-4,1e-1)"), 5, 3),
                "the same seed, the same draws");
        for (String bad : new String[] {"adam:lr={1e-3,3e-3", "adam:lr=1e-3}", "adam:lr={}", "adam:lr=loguniform(0,1)", "adam:lr=uniform(2,1)", "adam:lr"})
            assertThrows(UserError.class, () -> SearchSpace.parse(bad).grid(), bad);
        UserError e = assertThrows(UserError.class, () -> SearchSpace.parse("adam:lr=loguniform(1e-4,1e-1)").grid());
        assertTrue(e.getMessage().contains("random search"), e.getMessage());
        assertEquals("sgd:momentum=0.9", SweepReport.family("sgd:lr=0.1,momentum=0.9"));
        assertEquals("adam", SweepReport.family("adam:lr=0.001"));
    }

    @Test
    void rowsRoundTripWithQuotedSpecs() {
        Outcome o = new Outcome("sgd:lr=0.1,momentum=0.9", 3, "failed: a \"quoted\", reason", 4, 2, 0.25, 0.9, 0.3, null, 1.5);
        assertEquals(o, Outcome.parse(o.csv(), "row", 1));
        assertEquals("\"sgd:lr=0.1,momentum=0.9\",3,\"failed: a \"\"quoted\"\", reason\",4,2,0.25,0.9,0.3,,1.500", o.csv());
    }

    private static List<String> figures(Path results) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(results)) out.add(line.substring(0, line.lastIndexOf(','))); // all but seconds
        return out;
    }

    private static Cli sweep(Path out, String parallel, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--data", "breast_cancer", "--model", "mlp:8:relu", "--epochs", "4", "--batch", "64",
                "--optimizer", "adam:lr={1e-3,1e-2}", "--optimizer", "sgd:lr={0.05,1e9}", "--optimizer", "rmsprop:lr=-1", "--seeds", "0,1",
                "--parallel", parallel, "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    /** Failed and diverged runs are rows; two at a time gives the figures one at a time does; a second run trains nothing. */
    @Test
    void aSweepWritesARowPerRunWhateverRanAtOnce(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one"), two = tmp.resolve("two");
        Cli a = sweep(one, "1"), b = sweep(two, "2");
        assertEquals(0, a.exit(), a::toString);
        assertEquals(0, b.exit(), b::toString);
        List<String> rows = Files.readAllLines(one.resolve(Sweep.RESULTS));
        assertEquals(Outcome.HEADER, rows.get(0));
        assertEquals(1 + 5 * 2, rows.size(), "five specs, two seeds");
        assertEquals(figures(one.resolve(Sweep.RESULTS)), figures(two.resolve(Sweep.RESULTS)), "the same figures, one or two at a time");
        List<Outcome> outcomes = rows.stream().skip(1).map(l -> Outcome.parse(l, "row", 1)).toList();
        for (Outcome o : outcomes) {
            if (o.spec().equals("sgd:lr=1e9")) assertEquals("diverged", o.status(), o.toString());
            else if (o.spec().startsWith("rmsprop")) assertTrue(o.status().startsWith("failed: ") && o.status().contains("lr"), o.status());
            else {
                assertEquals("ok", o.status(), o.toString());
                assertEquals(4, o.epochs());
                assertTrue(o.bestValLoss() <= o.finalValLoss() && o.bestEpoch() >= 1 && o.bestEpoch() <= 4, o.toString());
            }
        }
        assertNotEquals(outcomes.get(0).bestValLoss(), outcomes.get(1).bestValLoss(), "each seed its own run");
        // the best epoch's figure is the run's own metrics.csv's minimum
        var metrics = dev.ravine.report.MetricsTable.read(one.resolve(Sweep.RUNS).resolve(new Trial(0, "adam:lr=1e-3", 0).folder()).resolve("metrics.csv"));
        assertEquals(java.util.Arrays.stream(metrics.column("val_loss")).min().orElseThrow(), outcomes.get(0).bestValLoss(), 0);
        List<String> summary = Files.readAllLines(one.resolve(Sweep.SUMMARY));
        assertEquals(1 + 5, summary.size());
        assertTrue(summary.get(1).startsWith("adam:lr=1e-3,2,2,"), summary.get(1));
        String html = Files.readString(one.resolve(Sweep.REPORT));
        assertTrue(html.contains("Learning-rate sensitivity") && html.contains("data:image/png;base64,"), "the report draws the sensitivity curves");

        Cli again = sweep(one, "2");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().isBlank(), "nothing left to train: " + again.err());
        Cli other = Cli.run("sweep", "--data", "breast_cancer", "--optimizer", "adam", "--epochs", "1", "--out", one.toString());
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("holds a sweep of other runs"), other.err());
    }

    /** With weight averaging the final figures are the saved average's, as run.json's swa block gives them, not the last iterate's. */
    @Test
    void theFinalFiguresAreTheSavedModels(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("swa");
        Cli r = Cli.run("sweep", "--data", "breast_cancer", "--model", "mlp:8:relu", "--epochs", "4", "--optimizer", "sgd:lr=0.05,momentum=0.9",
                "--swa", "start=1,lr=0.01", "--seeds", "0", "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        Outcome o = Outcome.parse(Files.readAllLines(out.resolve(Sweep.RESULTS)).get(1), "row", 1);
        Path run = out.resolve(Sweep.RUNS).resolve(new Trial(0, "sgd:lr=0.05,momentum=0.9", 0).folder());
        var swa = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("run.json").toFile()).get("swa");
        assertEquals(swa.get("val_loss").asDouble(), o.finalValLoss(), 0);
        assertEquals(swa.get("val_accuracy").asDouble(), o.finalValAccuracy(), 0);
        var metrics = dev.ravine.report.MetricsTable.read(run.resolve("metrics.csv"));
        assertNotEquals(metrics.column("val_loss")[3], o.finalValLoss(), "the last iterate's");
    }

    /** kill -9 in the middle of a sweep, the same command again: only the runs without a row train, to the same figures. */
    @Test
    void aKilledSweepResumesTrainingOnlyTheUnfinishedRuns(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        String[] args = {"sweep", "--data", "digits", "--model", "mlp:32:relu", "--epochs", "6", "--optimizer", "adam:lr={1e-3,3e-3,1e-2}",
                "--optimizer", "sgd:lr={0.05,0.1},momentum=0.9", "--seeds", "0,1", "--parallel", "1"};
        List<String> w = new ArrayList<>(List.of(args));
        w.addAll(List.of("--out", whole.toString()));
        assertEquals(0, Cli.run(w.toArray(String[]::new)).exit());
        List<String> command = dev.ravine.ChildJvm.command();
        command.add("dev.ravine.cli.Main");
        command.addAll(List.of(args));
        command.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile()).start();
        Path results = killed.resolve(Sweep.RESULTS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(results) || Files.readAllLines(results).size() < 1 + 3)) Thread.sleep(5);
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
        int finished = Files.readAllLines(results).size() - 1;
        assertTrue(finished >= 3 && finished < 10, "killed part way: " + finished + " rows; " + Files.readString(tmp.resolve("log")));
        List<String> k = new ArrayList<>(List.of(args));
        k.addAll(List.of("--out", killed.toString()));
        Cli r = Cli.run(k.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(10 - finished, r.err().lines().filter(l -> l.startsWith("ravine: [")).count(), "only the unfinished runs trained: " + r.err());
        assertEquals(figures(whole.resolve(Sweep.RESULTS)), figures(results));
    }

    /**
     * ASHA on 16 configurations: at most half the epochs of the full grid, a best validation loss within 5% of the
     * grid's best, and a run promoted to the top rung (extended from its checkpoints) ending at exactly the figures of
     * the grid's uninterrupted run of the same spec.
     */
    @Test
    void successiveHalvingTrainsFewerEpochsAndFindsAGoodConfiguration(@TempDir Path tmp) throws Exception {
        String[] common = {"sweep", "--data", "breast_cancer", "--model", "mlp:16:relu", "--epochs", "9", "--optimizer",
                "adam:lr={1e-4,3e-4,1e-3,3e-3,1e-2,3e-2,1e-1,3e-1}", "--optimizer", "sgd:lr={0.001,0.01,0.1,1},momentum={0.5,0.9}", "--parallel", "1"};
        List<String> g = new ArrayList<>(List.of(common)), a = new ArrayList<>(List.of(common));
        g.addAll(List.of("--out", tmp.resolve("grid").toString()));
        a.addAll(List.of("--out", tmp.resolve("asha").toString(), "--search", "asha:min_epochs=1,eta=3"));
        Cli grid = Cli.run(g.toArray(String[]::new)), asha = Cli.run(a.toArray(String[]::new));
        assertEquals(0, grid.exit(), grid::toString);
        assertEquals(0, asha.exit(), asha::toString);
        List<Outcome> full = Files.readAllLines(tmp.resolve("grid").resolve(Sweep.RESULTS)).stream().skip(1).map(l -> Outcome.parse(l, "grid", 1)).toList();
        List<Outcome> halved = Files.readAllLines(tmp.resolve("asha").resolve(Sweep.RESULTS)).stream().skip(1).map(l -> Outcome.parse(l, "asha", 1)).toList();
        assertEquals(16, full.size());
        assertEquals(16, halved.size(), "every configuration has its row");
        int fullEpochs = full.stream().mapToInt(Outcome::epochs).sum(), ashaEpochs = halved.stream().mapToInt(Outcome::epochs).sum();
        assertEquals(16 * 9, fullEpochs);
        assertTrue(ashaEpochs <= fullEpochs / 2, "ASHA trained " + ashaEpochs + " epochs of the grid's " + fullEpochs);
        double best = full.stream().filter(Outcome::ok).mapToDouble(Outcome::bestValLoss).min().orElseThrow();
        double found = halved.stream().filter(Outcome::ok).mapToDouble(Outcome::bestValLoss).min().orElseThrow();
        assertTrue(found <= 1.05 * best, "ASHA's best " + found + " against the grid's " + best);
        List<Outcome> top = halved.stream().filter(o -> o.epochs() == 9).toList();
        assertTrue(!top.isEmpty(), "some configuration reached the last rung");
        for (Outcome o : top) {
            Outcome same = full.stream().filter(f -> f.spec().equals(o.spec())).findFirst().orElseThrow();
            assertEquals(same.csv().substring(0, same.csv().lastIndexOf(',')), o.csv().substring(0, o.csv().lastIndexOf(',')),
                    "extended rung by rung, " + o.spec() + " ends where 9 epochs at once do");
        }
        assertTrue(halved.stream().anyMatch(o -> o.epochs() == 1) && halved.stream().anyMatch(o -> o.epochs() == 3), "runs stopped at each rung");
    }
}
