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
 * {@code init.safetensors} (the weights it started from), {@code metrics.csv}, {@code run.json} and, for models
 * small enough, {@code trajectory.safetensors} (the flat weights after each epoch: {@code epoch.0}, {@code epoch.1},
 * ...). It is written
 * in full beside its destination and renamed into place, so a failed run leaves nothing behind.
 */
public final class RunFolder {
    public static final String MODEL = "model.safetensors", INIT = "init.safetensors", METRICS = "metrics.csv", RUN = "run.json",
            TRAJECTORY = "trajectory.safetensors";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFolder() {
    }

    /** Refuses a destination that already holds something, before any work is done. */
    public static void checkWritable(Path dir) {
        if (Files.isRegularFile(dir)) throw UserError.setting("out", dir, "is a file, expected a folder for the run");
        try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (entries.findAny().isPresent())
                throw UserError.setting("out", dir, "already exists and is not empty; choose another folder");
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

    public static void write(Path dir, TrainingRun run, List<EpochMetrics> history) throws IOException {
        checkWritable(dir);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
        try {
            var meta = Map.of("format", "pt", "model", run.settings.model());
            Safetensors.write(tmp.resolve(MODEL), run.model.tensors(), run.settings.dtype(), meta);
            Safetensors.write(tmp.resolve(INIT), run.model.tensors(run.initialWeights, run.initialBuffers), run.settings.dtype(), meta);
            if (!run.trajectory.isEmpty()) {
                List<Safetensors.Named> epochs = new java.util.ArrayList<>();
                for (int e = 0; e < run.trajectory.size(); e++)
                    epochs.add(new Safetensors.Named("epoch." + e, new long[] {run.trajectory.get(e).size()}, run.trajectory.get(e)));
                Safetensors.write(tmp.resolve(TRAJECTORY), epochs, run.settings.dtype(), Map.of());
            }
            Files.writeString(tmp.resolve(METRICS), metricsCsv(history), StandardCharsets.UTF_8);
            JSON.writeValue(tmp.resolve(RUN).toFile(), runJson(run, history));
            AtomicFiles.ordinaryPermissions(tmp, true);
            if (Files.isDirectory(dir)) Files.delete(dir); // checked empty above
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) deleteTree(tmp);
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
        settings.put("loss", run.lossKind.label());
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
        settings.put("val", s.val());
        settings.put("standardize", s.standardize().label());
        settings.put("init", s.init());
        settings.put("dtype", s.dtype().label);
        settings.put("threads", s.threads());

        Dataset train = run.split.train();
        ObjectNode data = root.putObject("data");
        data.put("source", train.source());
        data.put("task", train.task().label());
        data.put("target", train.targetName());
        if (train.classes() > 0) data.put("classes", train.classes());
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
