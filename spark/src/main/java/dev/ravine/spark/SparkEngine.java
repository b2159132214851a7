package dev.ravine.spark;

import dev.ravine.cli.SweepCommand;
import dev.ravine.sweep.Engine;
import dev.ravine.sweep.Outcome;
import dev.ravine.sweep.Sweep;
import dev.ravine.sweep.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * {@code ravine sweep --engine spark}: each run of the sweep one Spark task. The task gets the sweep's own
 * arguments and its trial, makes the run's settings from them as the driver would ({@link SweepCommand#settings}),
 * trains the run into {@code OUT/runs/} (on a cluster OUT must be a folder every executor sees, as NFS) and sends
 * back its results.csv row. Each run is a job of its own, so rows come back, and are written, as runs end: a
 * killed sweep keeps them, and the same command again trains only the rest.
 */
public final class SparkEngine implements Engine {
    private final String master;
    private final List<String> args;

    public SparkEngine(String master, List<String> args) {
        this.master = master;
        this.args = List.copyOf(args);
    }

    /** Found by the core's {@code --engine spark} through {@link java.util.ServiceLoader}. */
    public static final class Provider implements Engine.Provider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public Engine create(String master, List<String> args) {
            return new SparkEngine(master, args);
        }
    }

    /** One trial as text, for the task: index, seed and spec, tab-separated. */
    static String encode(Trial t) {
        return t.index() + "\t" + t.seed() + "\t" + t.spec();
    }

    static Trial decode(String s) {
        String[] f = s.split("\t", 3);
        return new Trial(Integer.parseInt(f[0]), f[2], Long.parseLong(f[1]));
    }

    /** A task: trains its trial and returns the row. */
    static final class RunTrial implements Function<String, String> {
        private final ArrayList<String> args;
        private final String out;

        RunTrial(List<String> args, Path out) {
            this.args = new ArrayList<>(args);
            this.out = out.toAbsolutePath().toString();
        }

        @Override
        public String call(String encoded) {
            Trial t = decode(encoded);
            Sweep one = new Sweep(List.of(t.spec()), List.of(t.seed()), SweepCommand.settings(args));
            return one.run(t, Path.of(out).resolve(Sweep.RUNS).resolve(t.folder())).csv();
        }
    }

    @Override
    public void run(Sweep sweep, List<Trial> todo, Path out, BiConsumer<Trial, Outcome> done) throws IOException {
        if (todo.isEmpty()) return;
        SparkConf conf = new SparkConf().setAppName("ravine sweep").set("spark.ui.enabled", "false");
        if (master != null) conf.setMaster(master);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            List<JavaFutureAction<List<String>>> jobs = new ArrayList<>();
            RunTrial task = new RunTrial(args, out);
            for (Trial t : todo) jobs.add(sc.parallelize(List.of(encode(t)), 1).map(task).collectAsync());
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < todo.size(); i++) open.add(i);
            while (!open.isEmpty()) {
                for (var it = open.iterator(); it.hasNext(); ) {
                    int i = it.next();
                    if (!jobs.get(i).isDone()) continue;
                    it.remove();
                    Trial t = todo.get(i);
                    Outcome o;
                    try {
                        o = Outcome.parse(jobs.get(i).get().get(0), "task", 1);
                    } catch (java.util.concurrent.ExecutionException e) { // the task itself failed (a lost executor): a row, not a failed sweep
                        o = Outcome.failed(t, "spark task: " + e.getCause());
                    }
                    done.accept(t, o);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
