package dev.ravine.sweep;

import dev.ravine.UserError;
import dev.ravine.tensor.AtomicFiles;
import dev.ravine.train.CheckpointInterval;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A sweep: every concrete optimizer spec trained from every seed, each run a run folder under {@code OUT/runs/}, each
 * finished run a row of {@code OUT/results.csv}, written as soon as it finishes. A run that fails or diverges is a
 * row with its status, not a failed sweep; a sweep run again into the same folder trains only the runs that have
 * no row yet, so a killed sweep resumes. Runs are deterministic, so the rows do not depend on how many ran at once.
 */
public final class Sweep {
    /** The settings of one run: the sweep's own, with this optimizer spec and seed. */
    public interface Settings {
        RunSettings of(String spec, long seed);
    }

    /** Told of each run as it finishes ({@code done} of {@code total}, counting runs finished before a resume). */
    public interface Listener {
        void finished(Trial trial, Outcome outcome, int done, int total);
    }

    public static final String RESULTS = "results.csv", SUMMARY = "summary.csv", REPORT = "report.html", RUNS = "runs", TRIALS = "trials.txt";
    private final List<Trial> trials;
    private final Settings settings;

    /** Every spec (in order) from every seed (in order): trial k is spec k / seeds, seed k % seeds. */
    public Sweep(List<String> specs, List<Long> seeds, Settings settings) {
        if (specs.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("a sweep needs a spec and a seed");
        List<Trial> t = new ArrayList<>();
        for (int s = 0; s < specs.size(); s++) for (long seed : seeds) t.add(new Trial(s, specs.get(s), seed));
        this.trials = List.copyOf(t);
        this.settings = settings;
    }

    public List<Trial> trials() {
        return trials;
    }

    /** The concrete specs of a grid: each space's combinations in turn, a spec given twice kept once. */
    public static List<String> grid(List<String> spaces) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : spaces) out.addAll(SearchSpace.parse(s).grid());
        return List.copyOf(out);
    }

    /** {@code n} draws for random search, taking the spaces in turn, from a stream seeded by {@code seed}. */
    public static List<String> random(List<String> spaces, int n, long seed) {
        if (n < 1) throw UserError.setting("search", "random:" + n, "expected random:N with N 1 or more");
        List<SearchSpace> parsed = spaces.stream().map(SearchSpace::parse).toList();
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) out.add(parsed.get(k % parsed.size()).draw(r));
        return out;
    }

    /** Trains {@code t} into {@code dir} (replacing what a killed run left there); the run's own failure is its row, not an exception. */
    public Outcome run(Trial t, Path dir) {
        return attempt(t, dir, s -> {
            clearPartial(dir);
            TrainingRun run = new TrainingRun(s);
            return new Trained(run, run.trainInto(dir, true, QUIET));
        });
    }

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    /** A run and the epochs it trained. */
    private record Trained(TrainingRun run, List<EpochMetrics> history) {
    }

    /** How a trial trains, from its settings. */
    private interface Training {
        Trained from(RunSettings settings) throws IOException;
    }

    /** Trains {@code t} as {@code how} says; a refused setting, a failed write or a crash is the trial's row, {@code failed: REASON}. */
    private Outcome attempt(Trial t, Path dir, Training how) {
        try {
            Trained r = how.from(settings.of(t.spec(), t.seed()));
            var averaged = r.run().averaged();
            return Outcome.of(t, r.run().divergence() != null ? "diverged" : "ok", r.history(), averaged == null ? null : averaged.validation());
        } catch (UserError e) {
            return Outcome.failed(t, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return Outcome.failed(t, "cannot write " + dir + " (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            return Outcome.failed(t, e.toString());
        }
    }

    /**
     * Runs every trial without a row in {@code out/results.csv} on {@code engine}, and returns every trial's outcome in
     * trial order; then writes the summary and the report.
     */
    public List<Outcome> run(Engine engine, Path out, Listener listener) throws IOException {
        Files.createDirectories(out.resolve(RUNS));
        TreeMap<Integer, Outcome> done = begin(out);
        List<Trial> todo = trials.stream().filter(t -> !done.containsKey(key(t))).toList();
        engine.run(this, todo, out, (t, o) -> record(out, done, t, o, listener));
        return finish(out, done);
    }

    /** This sweep with each run on one thread: the kernels' helper threads are shared by the whole process. */
    public Sweep onOneThread() {
        return new Sweep(this, (spec, seed) -> settings.of(spec, seed).withThreads(1));
    }

    private List<Outcome> finish(Path out, TreeMap<Integer, Outcome> done) throws IOException {
        List<Outcome> outcomes = new ArrayList<>(done.values());
        AtomicFiles.write(out.resolve(SUMMARY), Summary.csv(Summary.of(outcomes)).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve(REPORT), SweepReport.html(out, trials, outcomes).getBytes(StandardCharsets.UTF_8));
        return outcomes;
    }

    /**
     * Asynchronous successive halving over the trials ({@link Asha}): each run's row in {@code out/results.csv} is
     * where it stands, its epochs the rung it reached. A sweep run again into the same folder goes on from the rows
     * and the runs' checkpoints.
     */
    public List<Outcome> runAsha(Path out, Asha.Rungs rungs, int workers, Listener listener) throws IOException {
        if (workers < 1) throw UserError.setting("parallel", workers, "expected 1 or more");
        Files.createDirectories(out.resolve(RUNS));
        TreeMap<Integer, Outcome> done = begin(out);
        Sweep sweep = workers == 1 ? this : onOneThread();
        Asha asha = new Asha(rungs, trials.size());
        for (var e : done.entrySet()) { // a resumed sweep: each run where its row and its run folder say it stands
            Outcome o = e.getValue();
            int k = Math.max(0, asha.rungOf(o.epochs()));
            asha.finished(e.getKey(), k, valLoss(out, trials.get(e.getKey())), o.ok() && o.epochs() == asha.epochs(k));
        }
        CheckpointInterval every = new CheckpointInterval(rungs.minEpochs(), 0); // a checkpoint at every rung's end: R eta^k
        Runnable worker = () -> {
            while (true) {
                Asha.Job j;
                synchronized (asha) {
                    j = asha.next();
                    if (j == null) {
                        if (asha.idle()) return;
                        try {
                            asha.wait();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        continue;
                    }
                }
                Trial t = trials.get(j.trial());
                Path dir = out.resolve(RUNS).resolve(t.folder());
                Outcome o = sweep.rung(t, dir, asha.epochs(j.rung()), j.rung() == 0, every);
                asha.finished(j.trial(), j.rung(), valLoss(out, t), o.ok() && o.epochs() == asha.epochs(j.rung()));
                record(out, done, t, o, listener);
            }
        };
        runAll(worker, workers);
        return finish(out, done);
    }

    /** Runs {@code worker} on {@code n} threads until each returns; the first failure is rethrown. */
    static void runAll(Runnable worker, int n) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> Thread.ofPlatform().daemon().name("ravine-sweep").unstarted(r));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) futures.add(pool.submit(worker));
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Trains {@code t} to {@code epochs}: from the start at the first rung, else on from its run folder's last checkpoint. */
    private Outcome rung(Trial t, Path dir, int epochs, boolean first, CheckpointInterval every) {
        return attempt(t, dir, s -> {
            if (first) {
                clearPartial(dir);
                TrainingRun run = new TrainingRun(s.withEpochs(epochs, every));
                return new Trained(run, run.trainInto(dir, true, QUIET));
            }
            TrainingRun run = TrainingRun.toExtend(dir, epochs, every, s.threads());
            return new Trained(run, run.extend(dir, QUIET));
        });
    }

    /** The validation loss after each epoch of {@code t}'s run so far (empty without a run folder or a validation split). */
    private static double[] valLoss(Path out, Trial t) {
        Path metrics = out.resolve(RUNS).resolve(t.folder()).resolve("metrics.csv");
        if (!Files.isRegularFile(metrics)) return new double[0];
        dev.ravine.report.MetricsTable m = dev.ravine.report.MetricsTable.read(metrics);
        return m.has("val_loss") ? m.column("val_loss") : new double[0];
    }

    private Sweep(Sweep base, Settings settings) {
        this.trials = base.trials;
        this.settings = settings;
    }

    /** A trial's place in the sweep, the order of results.csv. */
    private int key(Trial t) {
        return trials.indexOf(t);
    }

    /**
     * The rows already in {@code out} (a sweep resumed), keyed by trial; refuses a folder that holds another
     * sweep's trials, or something other than a sweep.
     */
    private TreeMap<Integer, Outcome> begin(Path out) throws IOException {
        Path list = out.resolve(TRIALS), results = out.resolve(RESULTS);
        StringBuilder sb = new StringBuilder();
        for (Trial t : trials) sb.append(t.seed()).append(' ').append(t.spec()).append('\n');
        if (Files.exists(list)) {
            if (!Files.readString(list).equals(sb.toString()))
                throw UserError.setting("out", out, "holds a sweep of other runs; give the same command to resume it, or another folder");
        } else {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.anyMatch(p -> !p.getFileName().toString().equals(RUNS)))
                    throw UserError.setting("out", out, "already exists and is not a sweep folder; choose another folder");
            }
            AtomicFiles.write(list, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        TreeMap<Integer, Outcome> done = new TreeMap<>();
        if (Files.exists(results)) {
            List<String> lines = Files.readAllLines(results);
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                Outcome o;
                try {
                    o = Outcome.parse(lines.get(i), results.toString(), i + 1);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                for (Trial t : trials) if (t.spec().equals(o.spec()) && t.seed() == o.seed()) done.put(key(t), o);
            }
        }
        return done;
    }

    /** Keeps {@code t}'s row, rewrites results.csv with every row so far, and tells the listener; from any thread. */
    private void record(Path out, TreeMap<Integer, Outcome> done, Trial t, Outcome o, Listener listener) {
        synchronized (done) {
            done.put(key(t), o);
            try {
                writeResults(out, done);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            listener.finished(t, o, done.size(), trials.size());
        }
    }

    private static void writeResults(Path out, Map<Integer, Outcome> done) throws IOException {
        StringBuilder sb = new StringBuilder(Outcome.HEADER).append('\n');
        for (Outcome o : done.values()) sb.append(o.csv()).append('\n');
        AtomicFiles.write(out.resolve(RESULTS), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** What a run killed while writing its folder left beside it. */
    private static void clearPartial(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) return;
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("." + dir.getFileName() + ".partial-")).toList())
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
                }
        }
    }
}
