package dev.ravine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.UserError;
import dev.ravine.Version;
import dev.ravine.data.Dataset;
import dev.ravine.tensor.AtomicFiles;
import dev.ravine.tensor.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The folder a training run leaves behind: {@code model.safetensors} (the trained weights in the training dtype),
 * {@code init.safetensors} (the weights it started from), {@code metrics.csv}, {@code run.json}, {@code report.html},
 * {@code track.csv} when instruments measured every N steps, and, for models small enough,
 * {@code trajectory.safetensors} (the flat weights after each epoch: {@code epoch.0}, {@code epoch.1}, ...). It is
 * written in full beside its destination and renamed into place, so a failed run leaves nothing behind.
 */
public final class RunFolder {
    public static final String MODEL = "model.safetensors", INIT = "init.safetensors", METRICS = "metrics.csv", RUN = "run.json",
            TRAJECTORY = "trajectory.safetensors", REPORT = "report.html";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFolder() {
    }

    /** Refuses a destination that already holds something, before any work is done. */
    public static void checkWritable(Path dir) {
        checkWritable(dir, false);
    }

    /** As {@link #checkWritable(Path)}; with {@code overwrite} a folder that holds a run may be replaced, nothing else. */
    public static void checkWritable(Path dir, boolean overwrite) {
        if (Files.isRegularFile(dir)) throw UserError.setting("out", dir, "is a file, expected a folder for the run");
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (overwrite && Files.isRegularFile(dir.resolve(RUN))) return;
            if (entries.findAny().isPresent())
                throw UserError.setting("out", dir, Files.isRegularFile(dir.resolve(RUN))
                        ? "holds a run already; resume it (--resume), or replace it (--overwrite)" : "already exists and is not empty; choose another folder");
        } catch (IOException e) {
            throw UserError.setting("out", dir, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** A fresh {@code runs/<timestamp>} folder name under {@code parent}. */
    public static Path defaultDir(Path parent) {
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = parent.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) dir = parent.resolve(stamp + "-" + i);
        return dir;
    }

    /**
     * Writes a finished run: into a temporary sibling folder, renamed into place when whole, so a failure leaves
     * nothing behind; with {@code overwrite}, the run folder that was there goes only once the new one is complete.
     */
    public static void write(Path dir, TrainingRun run, List<EpochMetrics> history, boolean overwrite) throws IOException {
        checkWritable(dir, overwrite);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
        try {
            writeFiles(tmp, dir.getFileName().toString(), run, history, null, true);
            AtomicFiles.ordinaryPermissions(tmp, true);
            if (Files.isDirectory(dir)) deleteTree(dir); // empty, or a run the user asked to replace
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) deleteTree(tmp);
        }
    }

    public static void write(Path dir, TrainingRun run, List<EpochMetrics> history) throws IOException {
        write(dir, run, history, false);
    }

    /**
     * The run's files in {@code dir}, each written atomically: the model (or, at a checkpoint, {@code state}'s
     * weights and statistics), the initial weights, the trajectory once finished, the metrics, run.json and, with
     * {@code report}, report.html.
     */
    private static void writeFiles(Path dir, String name, TrainingRun run, List<EpochMetrics> history, TrainingState state, boolean report)
            throws IOException {
        var meta = Map.of("format", "pt", "model", run.settings.model());
        var model = state == null ? run.model.tensors() : run.model.tensors(run.model.inferenceWeights(state.weights()), state.buffers());
        Safetensors.write(dir.resolve(MODEL), model, run.settings.dtype(), meta);
        Safetensors.write(dir.resolve(INIT), run.model.tensors(run.initialWeights, run.initialBuffers), run.settings.dtype(), meta);
        if (state == null) writeTrajectory(dir, run, Integer.MAX_VALUE);
        String csv = metricsCsv(history);
        AtomicFiles.write(dir.resolve(METRICS), csv.getBytes(StandardCharsets.UTF_8));
        if (!run.tracked.isEmpty())
            AtomicFiles.write(dir.resolve(dev.ravine.track.TrackLog.FILE), run.tracked.csv(state == null ? Integer.MAX_VALUE : state.epoch())
                    .getBytes(StandardCharsets.UTF_8));
        ObjectNode json = runJson(run, history);
        if (state == null) confusion(run, json);
        if (state != null) json.put("checkpoint_epoch", state.epoch()); // the files are this epoch's; training had not finished
        AtomicFiles.write(dir.resolve(RUN), JSON.writeValueAsBytes(json));
        if (!report) return;
        String page = dev.ravine.report.RunReport.html(name, json, dev.ravine.report.MetricsTable.parse(csv, METRICS), dir);
        AtomicFiles.write(dir.resolve(REPORT), page.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A finished classifier's confusion matrix, with each class's scores, its ROC AUC and its expected calibration
     * error, on the rows it did not train on (its validation split, or else the data's test set), for run.json as
     * {@code confusion}.
     */
    private static void confusion(TrainingRun run, ObjectNode json) {
        boolean validation = run.split.validation() != null;
        Dataset held = validation ? run.split.validation() : run.test;
        if (held == null || held.task() != dev.ravine.data.Task.CLASSIFICATION) return;
        ClassProbabilities p = ClassProbabilities.of(run.model.network, held); // one pass for every figure below
        ConfusionMatrix m = p.confusion();
        ObjectNode c = json.putObject("confusion");
        c.put("split", validation ? "validation" : "test");
        c.put("rows", held.rows());
        c.set("matrix", JSON.valueToTree(m.counts()));
        c.set("classes", JSON.valueToTree(m.scores(held.vocabulary().classLabels(m.classes()))));
        c.put("macro_f1", m.macroF1());
        double auc = RocAuc.of(p).macro();
        if (!Double.isNaN(auc)) c.put("roc_auc", auc);
        Calibration calibration = Calibration.of(p);
        c.put("ece", calibration.expectedError());
        c.set("reliability", JSON.valueToTree(calibration.bins()));
    }

    /** An evaluation's loss and accuracy (or RMSE) as {@code PREFIX_loss}, ...; nothing for none. */
    private static void figures(ObjectNode into, String prefix, Evaluation e) {
        if (e == null) return;
        into.put(prefix + "_loss", e.loss());
        if (e.accuracy() != null) into.put(prefix + "_accuracy", e.accuracy());
        if (e.rmse() != null) into.put(prefix + "_rmse", e.rmse());
    }

    /** {@code trajectory.safetensors}: the run's weights after epochs 0 to {@code upTo} (all it has, if fewer), when it keeps them. */
    private static void writeTrajectory(Path dir, TrainingRun run, int upTo) throws IOException {
        if (run.trajectory.isEmpty()) return;
        List<Safetensors.Named> epochs = new java.util.ArrayList<>();
        for (int e = 0; e < run.trajectory.size() && e <= upTo; e++)
            epochs.add(new Safetensors.Named("epoch." + e, new long[] {run.trajectory.get(e).size()}, run.trajectory.get(e)));
        Safetensors.write(dir.resolve(TRAJECTORY), epochs, run.settings.dtype(), Map.of());
    }

    /**
     * The weights after epochs 0 to {@code upTo} from {@code dir}'s trajectory file, each {@code parameters} long, or
     * null when the file is missing or does not hold all of them (a run that kept no trajectory).
     */
    static List<double[]> readTrajectory(Path dir, int upTo, int parameters) {
        Path file = dir.resolve(TRAJECTORY);
        if (!Files.isRegularFile(file)) return null;
        Map<String, Safetensors.Entry> epochs = Safetensors.read(file);
        List<double[]> out = new java.util.ArrayList<>();
        for (int e = 0; e <= upTo; e++) {
            Safetensors.Entry entry = epochs.get("epoch." + e);
            if (entry == null || entry.values().length != parameters) return null;
            out.add(entry.values());
        }
        return out;
    }

    /**
     * A run folder written while training goes on (checkpointing runs): created and locked at the start, a
     * readable run at every checkpoint, finished in place. Its lock refuses a second writer.
     */
    public static final class Live implements AutoCloseable {
        /**
         * Seconds between renderings of report.html at checkpoints: its charts cost ~0.15 s, as much as a short
         * epoch, so a run checkpointing every epoch would otherwise spend half its time drawing them.
         */
        static final double REPORT_EVERY_S = 10;
        private final Path dir;
        private final RunLock lock;
        private long reported = Long.MIN_VALUE;

        private Live(Path dir, RunLock lock) {
            this.dir = dir;
            this.lock = lock;
        }

        /** A new run folder (or one to replace, with {@code overwrite}), holding its settings from the start. */
        public static Live begin(Path dir, TrainingRun run, boolean overwrite) throws IOException {
            checkWritable(dir, overwrite);
            Files.createDirectories(dir);
            RunLock lock = RunLock.acquire(dir);
            try (Stream<Path> old = Files.list(dir)) { // a replaced run: everything but the lock goes
                for (Path p : old.toList()) if (!p.getFileName().toString().equals(RunLock.FILE)) deleteTree(p);
            }
            AtomicFiles.ordinaryPermissions(dir, true);
            Live live = new Live(dir, lock);
            writeFiles(dir, dir.getFileName().toString(), run, List.of(), new TrainingState(0, false, run.initialWeights, run.initialBuffers, Map.of(), 0, new double[0],
                    null, 0, Double.NaN, run.initialWeights, run.initialBuffers, List.of()), true);
            live.reported = System.nanoTime();
            return live;
        }

        /** An existing run folder, to resume: locked against a second writer. */
        public static Live resume(Path dir) {
            return new Live(dir, RunLock.acquire(dir));
        }

        /**
         * Writes the trajectory up to {@code state}'s epoch, a checkpoint of {@code state}, then the run's files as of
         * that epoch (report.html at most every {@link #REPORT_EVERY_S} seconds). The trajectory goes first, so that
         * whichever checkpoint a resumed run starts from, the file holds every epoch up to it.
         */
        public void checkpoint(TrainingRun run, TrainingState state) throws IOException {
            writeTrajectory(dir, run, state.epoch());
            Checkpoint.write(dir, state, run.method());
            boolean report = reported == Long.MIN_VALUE || (System.nanoTime() - reported) / 1e9 >= REPORT_EVERY_S;
            writeFiles(dir, dir.getFileName().toString(), run, state.history(), state, report);
            if (report) reported = System.nanoTime();
        }

        /** The finished run's files, in place. */
        public void finish(TrainingRun run, List<EpochMetrics> history) throws IOException {
            writeFiles(dir, dir.getFileName().toString(), run, history, null, true);
        }

        @Override
        public void close() throws IOException {
            lock.close();
            Files.deleteIfExists(dir.resolve(RunLock.FILE));
        }
    }

    /** Whether the folder's files are a checkpoint's (training had not finished writing them), not the finished run's. */
    static boolean writtenAtCheckpoint(Path dir) {
        try {
            return JSON.readTree(dir.resolve(RUN).toFile()).has("checkpoint_epoch");
        } catch (IOException e) {
            throw new UserError(dir.resolve(RUN) + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The settings a run folder's run.json records, as {@link #runJson} wrote them: what a resumed run trains with. */
    public static RunSettings settings(Path dir) {
        Path file = dir.resolve(RUN);
        if (!Files.isRegularFile(file)) throw new UserError(dir + ": not a run folder (no " + RUN + ")");
        try {
            com.fasterxml.jackson.databind.JsonNode j = JSON.readTree(file.toFile()).get("settings");
            if (j == null) throw new IllegalArgumentException("no settings");
            long seed = j.get("seed").asLong();
            var d = j.get("dropout");
            var a = j.get("augment");
            var e = j.get("early_stop");
            var w = j.get("swa");
            var m = j.get("sam");
            var la = j.get("lookahead");
            TrainConfig loop = new TrainConfig(j.get("epochs").asInt(), j.get("batch").asInt(), j.get("shuffle").asBoolean(), seed,
                    j.has("schedule") ? dev.ravine.optim.schedule.Schedules.spec(j.get("schedule").asText()) : null,
                    j.path("schedule_unit").asText("epoch").equals("step"), j.path("clip_norm").asDouble(Double.NaN),
                    j.path("clip_value").asDouble(Double.NaN), new Penalty(j.path("l1").asDouble(0), j.path("l2").asDouble(0)),
                    e == null ? null : new EarlyStopping(e.get("patience").asInt(), e.get("min_delta").asDouble(), e.get("restore_best").asBoolean()),
                    Divergence.parse(j.path("on_nan").asText("stop")),
                    d == null ? null : new dev.ravine.nn.Dropout(d.get("p").asDouble(), dev.ravine.nn.Dropout.Style.parse(d.get("style").asText()), seed),
                    j.has("loss") ? dev.ravine.nn.LossSpec.parse(j.get("loss").asText()) : null,
                    a == null ? null : new dev.ravine.data.Augmentation(a.get("shift").asInt(), a.get("noise").asDouble(), a.get("elastic").asDouble(),
                            a.get("sigma").asDouble()),
                    w == null ? null : new Swa(w.get("start").asInt(), w.get("lr").asDouble(), w.get("anneal_epochs").asInt(), w.get("anneal_strategy").asText()),
                    m == null ? null : new dev.ravine.optim.Sam(m.get("rho").asDouble(), m.get("adaptive").asBoolean()),
                    la == null ? null : new dev.ravine.optim.Lookahead(la.get("k").asInt(), la.get("alpha").asDouble()));
            return new RunSettings(j.get("data").asText(), j.hasNonNull("target") ? j.get("target").asText() : null, j.get("task").asText(),
                    j.get("model").asText(), j.path("batchnorm").asBoolean(false), j.get("optimizer").asText(), j.get("init").asText(),
                    dev.ravine.tensor.DType.parse(j.get("dtype").asText()), j.get("threads").asInt(), j.get("val").asDouble(),
                    dev.ravine.data.Scaling.parse(j.get("standardize").asText()), loop,
                    j.has("checkpoint_every") ? CheckpointInterval.parse(j.get("checkpoint_every").asText()) : null,
                    j.has("track") ? dev.ravine.track.Track.parse(j.get("track").asText()) : List.of(), j.path("rows").asInt(0),
                    dev.ravine.data.Imputation.parse(j.path("missing").asText("error")));
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof UserError u) throw u;
            throw new UserError(file + ": cannot read the run's settings (" + ex.getMessage() + ")");
        }
    }

    static String metricsCsv(List<EpochMetrics> history) {
        // every column any epoch has, in first-seen order: diagnostics such as eig_max come every K epochs only
        java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
        for (EpochMetrics m : history) seen.addAll(m.asMap().keySet());
        List<String> columns = history.isEmpty() ? List.of("epoch", "train_loss", "lr", "seconds", "samples_per_s") : List.copyOf(seen);
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (EpochMetrics m : history) {
            Map<String, Object> row = m.asMap();
            sb.append(columns.stream().map(c -> String.valueOf(row.getOrDefault(c, ""))).collect(Collectors.joining(","))).append('\n');
        }
        return sb.toString();
    }

    private static ObjectNode runJson(TrainingRun run, List<EpochMetrics> history) {
        RunSettings s = run.settings;
        ObjectNode root = JSON.createObjectNode();
        root.put("ravine", Version.get());
        root.put("java", Runtime.version().toString());
        root.put("created", Instant.now().toString());
        ObjectNode settings = root.putObject("settings");
        settings.put("data", SavedRun.isNamedData(s.data()) ? s.data() : Path.of(s.data()).toAbsolutePath().toString());
        if (s.target() != null) settings.put("target", s.target());
        settings.put("task", s.task());
        settings.put("model", s.model());
        if (s.batchNorm()) settings.put("batchnorm", true);
        settings.put("optimizer", s.optimizer());
        TrainConfig loop = s.loop();
        settings.put("epochs", loop.epochs());
        settings.put("batch", loop.batch());
        settings.put("shuffle", loop.shuffle());
        settings.put("seed", s.seed());
        if (loop.schedule() != null) {
            settings.put("schedule", loop.schedule().text());
            settings.put("schedule_unit", loop.schedulePerStep() ? "step" : "epoch");
        }
        if (!Double.isNaN(loop.clipNorm())) settings.put("clip_norm", loop.clipNorm());
        if (!Double.isNaN(loop.clipValue())) settings.put("clip_value", loop.clipValue());
        if (loop.penalty().l1() != 0) settings.put("l1", loop.penalty().l1());
        if (loop.penalty().l2() != 0) settings.put("l2", loop.penalty().l2());
        settings.put("loss", run.lossSpec.label());
        settings.put("on_nan", loop.onNan().name().toLowerCase(java.util.Locale.ROOT));
        if (loop.dropout() != null) {
            ObjectNode d = settings.putObject("dropout");
            d.put("p", loop.dropout().p());
            d.put("style", loop.dropout().style().label());
        }
        if (loop.augment() != null) {
            ObjectNode a = settings.putObject("augment");
            a.put("shift", loop.augment().shift());
            a.put("noise", loop.augment().noise());
            a.put("elastic", loop.augment().elastic());
            a.put("sigma", loop.augment().sigma());
        }
        if (loop.earlyStop() != null) {
            ObjectNode e = settings.putObject("early_stop");
            e.put("patience", loop.earlyStop().patience());
            e.put("min_delta", loop.earlyStop().minDelta());
            e.put("restore_best", loop.earlyStop().restoreBest());
        }
        if (loop.swa() != null) {
            ObjectNode w = settings.putObject("swa");
            w.put("start", loop.swa().start());
            w.put("lr", loop.swa().lr());
            w.put("anneal_epochs", loop.swa().annealEpochs());
            w.put("anneal_strategy", loop.swa().annealStrategy());
        }
        if (loop.sam() != null) {
            ObjectNode m = settings.putObject("sam");
            m.put("rho", loop.sam().rho());
            m.put("adaptive", loop.sam().adaptive());
        }
        if (loop.lookahead() != null) {
            ObjectNode la = settings.putObject("lookahead");
            la.put("k", loop.lookahead().k());
            la.put("alpha", loop.lookahead().alpha());
        }
        settings.put("val", s.val());
        if (s.rows() > 0) settings.put("rows", s.rows());
        settings.put("standardize", s.standardize().label());
        if (s.missing().fills()) settings.put("missing", s.missing().label());
        settings.put("init", s.init());
        settings.put("dtype", s.dtype().label);
        settings.put("threads", s.threads());
        if (s.checkpointEvery() != null) settings.put("checkpoint_every", s.checkpointEvery().text());
        if (!s.track().isEmpty())
            settings.put("track", s.track().stream().map(dev.ravine.track.Track::text).collect(Collectors.joining(",")));

        Dataset train = run.split.train();
        ObjectNode data = root.putObject("data");
        data.put("source", train.source());
        data.put("task", train.task().label());
        data.put("target", train.targetName());
        if (train.classes() > 0) data.put("classes", train.classes());
        if (!train.classNames().isEmpty()) {
            ArrayNode names = data.putArray("class_names");
            train.classNames().forEach(names::add);
        }
        if (!train.vocabulary().categories().isEmpty()) {
            ObjectNode categories = data.putObject("categories");
            for (var column : train.vocabulary().categories().entrySet()) {
                ArrayNode words = categories.putArray(column.getKey());
                column.getValue().forEach(words::add);
            }
        }
        data.put("train_rows", train.rows());
        data.put("val_rows", run.split.validation() == null ? 0 : run.split.validation().rows());
        if (run.test != null) data.put("test_rows", run.test.rows());
        ArrayNode features = data.putArray("features");
        train.featureNames().forEach(features::add);

        ObjectNode model = root.putObject("model");
        model.put("spec", s.model());
        ArrayNode widths = model.putArray("widths");
        for (int w : run.model.widths) widths.add(w);
        model.put("parameters", run.model.network.parameterCount());

        if (run.imputation != null) {
            ObjectNode im = root.putObject("imputation");
            im.put("strategy", run.imputation.strategy().label());
            ArrayNode values = im.putArray("values");
            for (double v : run.imputation.values()) values.add(v);
        }
        if (run.standardization != null) {
            ObjectNode st = root.putObject("standardization");
            ArrayNode mean = st.putArray("mean"), std = st.putArray("std");
            for (double v : run.standardization.mean()) mean.add(v);
            for (double v : run.standardization.std()) std.add(v);
        }
        if (!history.isEmpty()) root.set("final", JSON.valueToTree(history.get(history.size() - 1).asMap()));
        if (run.divergence() != null) {
            Divergence.Event d = run.divergence();
            ObjectNode div = root.putObject("diverged");
            div.put("epoch", d.epoch());
            div.put("step", d.step());
            div.put("loss", String.valueOf(d.loss()));
            if (!Double.isNaN(d.lastFiniteLoss())) div.put("last_finite_loss", d.lastFiniteLoss());
            div.put("kept_epoch", d.keptEpoch());
        }
        if (run.averaged() != null) { // the saved model is the weights' average, not the last epoch's
            ObjectNode w = root.putObject("swa");
            w.put("averaged_epochs", run.averaged().epochs());
            figures(w, "val", run.averaged().validation());
            figures(w, "test", run.averaged().test());
        }
        if (run.stopping() != null) { // the saved model is the best epoch's when it was restored, not the last one's
            EarlyStopping.Outcome o = run.stopping();
            ObjectNode stop = root.putObject("early_stop");
            stop.put("best_epoch", o.bestEpoch());
            stop.put("best_val_loss", o.bestValLoss());
            stop.put("epochs_run", o.epochsRun());
            stop.put("stopped_early", o.stoppedEarly());
            stop.put("restored_best", o.restoredBest());
            stop.put("reason", o.reason());
        }
        return root;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
