package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.UserError;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed from a checkpoint ends at the weights of a run that was never interrupted, bit for bit, with the same
 * trajectory of every epoch's weights: with
 * shuffling, dropout, batch norm, a schedule and early stopping, in both dtypes, at another thread count, and after
 * {@code kill -9} of a real process in the middle of training.
 */
class ResumeTest {
    private static final String[] SETTINGS = {"--dropout", "0.2", "--batchnorm", "--schedule", "plateau:patience=1,factor=0.5",
            "--optimizer", "sgd:lr=0.05,momentum=0.9,nesterov=true", "--early-stop", "patience=4", "--batch", "50",
            "--clip-norm", "0.5", "--l2", "1e-4"}; // clipping and a penalty as well: their sums must repeat across processes

    private static Cli train(Path out, String dtype, int epochs, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--epochs", Integer.toString(epochs), "--dtype", dtype, "--out", out.toString(),
                "--format", "json", "--threads", "2"));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    /** Every tensor of the two files equal to the last bit. */
    private static void assertSameWeights(Path expected, Path actual) {
        Map<String, Safetensors.Entry> a = Safetensors.read(expected), b = Safetensors.read(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).values(), b.get(k).values(), k + " after resuming");
    }

    /** metrics.csv without the timing columns. */
    private static List<String> figures(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunFolder.METRICS))) {
            String[] cells = line.split(",");
            out.add(String.join(",", java.util.Arrays.copyOf(cells, cells.length - 2))); // seconds, samples_per_s last
        }
        return out;
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws Exception {
        for (String dtype : new String[] {"float32", "float64"}) {
            Path whole = tmp.resolve(dtype + "-whole"), cut = tmp.resolve(dtype + "-cut");
            train(whole, dtype, 5);
            train(cut, dtype, 5, "--checkpoint-every", "1");
            assertSameWeights(whole.resolve(RunFolder.MODEL), cut.resolve(RunFolder.MODEL)); // checkpoints change nothing
            Path dir = cut.resolve(Checkpoint.FOLDER);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("epoch-000004.safetensors", "epoch-000005.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the two newest are kept");
            }
            Cli finished = Cli.run("train", "--resume", cut.toString());
            assertEquals(2, finished.exit(), finished::toString);
            assertTrue(finished.err().contains("the run finished at epoch 5"), finished.err());
            // as if killed during epoch 5: the newest checkpoint is epoch 4's
            Files.delete(dir.resolve("epoch-000005.safetensors"));
            Cli r = Cli.run("train", "--resume", cut.toString(), "--threads", "1", "--format", "json");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(1, r.out().strip().split("\n").length, "one epoch left to run");
            assertSameWeights(whole.resolve(RunFolder.MODEL), cut.resolve(RunFolder.MODEL));
            assertSameWeights(whole.resolve(RunFolder.TRAJECTORY), cut.resolve(RunFolder.TRAJECTORY)); // every epoch's weights, the resumed ones too
            assertEquals(figures(whole), figures(cut), dtype + ": every epoch's figures");
        }
    }

    /** Killed after its last checkpoint, before its final files: resuming writes them, the best epoch's weights restored. */
    @Test
    void aRunKilledAfterItsLastCheckpointIsFinishedByResuming(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), cut = tmp.resolve("cut");
        train(whole, "float64", 4);
        train(cut, "float64", 4, "--checkpoint-every", "1");
        // as the folder stood after the last checkpoint: run.json and the model are that checkpoint's
        Path last = cut.resolve(Checkpoint.FOLDER).resolve("epoch-000004.safetensors");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) RunFolder.JSON.readTree(cut.resolve(RunFolder.RUN).toFile());
        json.put("checkpoint_epoch", 4);
        Files.write(cut.resolve(RunFolder.RUN), RunFolder.JSON.writeValueAsBytes(json));
        Files.delete(cut.resolve(RunFolder.MODEL));
        assertTrue(Files.exists(last));
        Cli r = Cli.run("train", "--resume", cut.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.out().strip(), "no epoch left to run");
        assertSameWeights(whole.resolve(RunFolder.MODEL), cut.resolve(RunFolder.MODEL));
        assertFalse(RunFolder.writtenAtCheckpoint(cut), "the finished run's files");
    }

    /** Methods that carry history across epochs: L-BFGS's curvature pairs, CG's last direction, K-FAC's factors, Rprop's, ASGD's and Lion's state, SWA's average, Lookahead's slow weights (and SAM's settings). */
    @Test
    void methodsWithHistoryResume(@TempDir Path tmp) throws Exception {
        for (String method : new String[] {"lbfgs:history_size=5,max_iter=4,line_search_fn=strong_wolfe", "cg:max_iter=3"})
            resumes(tmp, method, "--batchnorm");
        resumes(tmp, "kfac:update_freq=3", "--batch", "64"); // K-FAC: its Kronecker factors, inverses and sampling stream
        resumes(tmp, "rprop:lr=0.001", "--batch", "64"); // Rprop: each weight's step size and last gradient
        resumes(tmp, "asgd:lr=0.05,t0=10", "--batch", "64"); // ASGD: the float32 eta and mu, the average ax
        resumes(tmp, "lion:lr=0.001,weight_decay=0.1", "--batch", "64"); // Lion: its momentum
        resumes(tmp, "rmsprop:lr=0.01,momentum=0.5", "--lookahead", "k=3,alpha=0.6", "--batch", "64"); // Lookahead: the slow weights
        resumes(tmp, "sgd:lr=0.05,momentum=0.9", "--swa", "start=1,lr=0.01,anneal_epochs=2", "--schedule", "exponential:gamma=0.8", "--batch",
                "64"); // weight averaging: the running average, its count, and SWALR taking over from the schedule
        resumes(tmp, "nadam:lr=0.01", "--sam", "rho=0.1,adaptive=true", "--dropout", "0.2", "--batch", "64"); // ASAM's radius, kept in run.json
    }

    /** Schedules stepped every optimizer step across the epoch where the run is cut: a sequence past its milestone, cycled momentum. */
    @Test
    void stepSchedulesResumeMidCycle(@TempDir Path tmp) throws Exception {
        resumes(tmp, "sgd:lr=0.05,momentum=0.9", "--schedule", "linear:start_factor=0.1,total_iters=10+cosine_restarts:t_0=7,t_mult=2",
                "--schedule-unit", "step", "--batch", "64");
        resumes(tmp, "adam:lr=0.01", "--schedule", "cyclic:base_lr=0.001,max_lr=0.02,step_size_up=5,mode=triangular2",
                "--schedule-unit", "step", "--batch", "64");
    }

    private static void resumes(Path tmp, String method, String... extra) throws Exception {
        Path whole = tmp.resolve(method.substring(0, 2) + "-whole"), cut = tmp.resolve(method.substring(0, 2) + "-cut");
        String[] common = {"train", "--data", "breast_cancer", "--model", "mlp:6:tanh", "--optimizer", method, "--epochs", "4", "--dtype",
                "float64", "--format", "json"};
        List<String> a = new ArrayList<>(List.of(common)), b = new ArrayList<>(List.of(common));
        a.addAll(List.of(extra));
        b.addAll(List.of(extra));
        a.addAll(List.of("--out", whole.toString()));
        b.addAll(List.of("--out", cut.toString(), "--checkpoint-every", "1"));
        assertEquals(0, Cli.run(a.toArray(String[]::new)).exit());
        assertEquals(0, Cli.run(b.toArray(String[]::new)).exit());
        Files.delete(cut.resolve(Checkpoint.FOLDER).resolve("epoch-000004.safetensors"));
        Cli r = Cli.run("train", "--resume", cut.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        assertSameWeights(whole.resolve(RunFolder.MODEL), cut.resolve(RunFolder.MODEL));
        assertSameWeights(whole.resolve(RunFolder.TRAJECTORY), cut.resolve(RunFolder.TRAJECTORY));
        assertEquals(figures(whole), figures(cut), method);
    }

    @Test
    void aRunKilledMidTrainingResumesToTheSameWeights(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        int epochs = 40;
        train(whole, "float32", epochs);
        List<String> command = dev.ravine.ChildJvm.command();
        command.addAll(List.of("dev.ravine.cli.Main", "train",
                "--epochs", Integer.toString(epochs), "--dtype", "float32", "--out", killed.toString(), "--format", "json", "--threads", "2",
                "--checkpoint-every", "1"));
        command.addAll(List.of(SETTINGS));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile()).start();
        Path second = killed.resolve(Checkpoint.FOLDER).resolve("epoch-000002.safetensors");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(second) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        p.waitFor(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(second), "the process reached its second checkpoint: " + Files.readString(tmp.resolve("log")));
        assertTrue(Files.exists(killed.resolve(RunLock.FILE)), "killed before it could finish");

        Cli e = Cli.run("evaluate", killed.toString(), "--format", "json"); // readable as it stands, from its last checkpoint
        assertEquals(0, e.exit(), e::toString);
        Cli r = Cli.run("train", "--resume", killed.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        assertSameWeights(whole.resolve(RunFolder.MODEL), killed.resolve(RunFolder.MODEL));
        assertSameWeights(whole.resolve(RunFolder.TRAJECTORY), killed.resolve(RunFolder.TRAJECTORY));
        assertEquals(figures(whole), figures(killed));
    }

    @Test
    void oneWriterAtATimeAndOnlyTheRunsOwnSettings(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        train(run, "float32", 2, "--checkpoint-every", "1");
        try (RunFolder.Live first = RunFolder.Live.resume(run)) {
            UserError second = assertThrows(UserError.class, () -> RunFolder.Live.resume(run));
            assertTrue(second.getMessage().contains("another ravine is writing this run (process "), second.getMessage());
        }
        Cli extra = Cli.run("train", "--resume", run.toString(), "--epochs", "9");
        assertEquals(2, extra.exit(), extra::toString);
        assertEquals("ravine: --epochs: a resumed run keeps its saved settings; give only --resume DIR (with --threads or --format)\n", extra.err());
        Cli again = Cli.run("train", "--epochs", "1", "--out", run.toString());
        assertEquals(2, again.exit(), again::toString);
        assertTrue(again.err().contains("holds a run already; resume it (--resume), or replace it (--overwrite)"), again.err());
        assertEquals(0, Cli.run("train", "--epochs", "1", "--out", run.toString(), "--overwrite").exit());
        assertFalse(Files.exists(run.resolve(Checkpoint.FOLDER)), "the replaced run is gone, checkpoints and all");
        Cli none = Cli.run("train", "--resume", run.toString());
        assertEquals(2, none.exit(), none::toString);
        assertTrue(none.err().contains("no checkpoint to resume from"), none.err());
        Cli bad = Cli.run("train", "--checkpoint-every", "0s", "--out", tmp.resolve("x").toString());
        assertEquals(2, bad.exit(), bad::toString);
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
