package dev.ravine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link TrainingState} on disk: {@code checkpoints/epoch-NNNNNN.safetensors} in the run folder, each tensor in
 * its own dtype (exact), the scalars and the metrics so far in the header's metadata as round-tripping text. Written
 * atomically; the two newest are kept, so a crash while writing one still leaves the one before.
 */
public final class Checkpoint {
    static final String FOLDER = "checkpoints";
    private static final int KEEP = 2;

    private Checkpoint() {
    }

    /** Writes {@code s} under {@code runDir} and removes all but the two newest checkpoints. */
    static void write(Path runDir, TrainingState s, String optimizer) throws IOException {
        Path dir = runDir.resolve(FOLDER);
        Files.createDirectories(dir);
        List<Safetensors.Named> tensors = new ArrayList<>();
        tensors.add(Safetensors.Named.exact("weights", s.weights()));
        tensors.add(Safetensors.Named.exact("buffers", s.buffers()));
        s.optimizerState().forEach((k, t) -> tensors.add(Safetensors.Named.exact("optimizer." + k, t)));
        tensors.add(Safetensors.Named.exact("schedule_metrics", Tensor.of(s.scheduleMetrics(), 1, s.scheduleMetrics().length)));
        tensors.add(Safetensors.Named.exact("last_good.weights", s.lastGoodWeights()));
        tensors.add(Safetensors.Named.exact("last_good.buffers", s.lastGoodBuffers()));
        EarlyStopping.Progress w = s.watch();
        if (w != null && w.bestWeights() != null) {
            tensors.add(Safetensors.Named.exact("best.weights", w.bestWeights()));
            tensors.add(Safetensors.Named.exact("best.buffers", w.bestBuffers()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(s.epoch()));
        meta.put("finished", Boolean.toString(s.finished()));
        meta.put("optimizer", optimizer);
        meta.put("optimizer_steps", Long.toString(s.optimizerSteps()));
        meta.put("last_good_epoch", Integer.toString(s.lastGoodEpoch()));
        meta.put("last_good_loss", Double.toString(s.lastGoodLoss()));
        if (w != null) {
            meta.put("best_loss", Double.toString(w.bestLoss()));
            meta.put("best_epoch", Integer.toString(w.bestEpoch()));
            meta.put("since_best", Integer.toString(w.sinceBest()));
            meta.put("watched_epochs", Integer.toString(w.epochs()));
        }
        ArrayNode history = RunFolder.JSON.createArrayNode();
        for (EpochMetrics m : s.history()) history.add(RunFolder.JSON.valueToTree(m.asMap()));
        meta.put("history", RunFolder.JSON.writeValueAsString(history));
        Safetensors.write(dir.resolve(String.format("epoch-%06d.safetensors", s.epoch())), tensors, DType.FLOAT64, meta);
        List<Path> all = list(dir);
        for (int i = 0; i + KEEP < all.size(); i++) Files.deleteIfExists(all.get(i));
    }

    /** The checkpoint files under {@code dir}, oldest first. */
    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{6}\\.safetensors")).sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    /** The newest checkpoint of a run folder, or null if it has none. */
    public static Path newest(Path runDir) {
        try {
            List<Path> all = list(runDir.resolve(FOLDER));
            return all.isEmpty() ? null : all.getLast();
        } catch (IOException e) {
            throw new UserError(runDir.resolve(FOLDER) + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads a checkpoint for a network of {@code weights} parameters and {@code buffers} buffer values. */
    static TrainingState read(Path file, int weights, int buffers) {
        Map<String, Safetensors.Entry> t = Safetensors.read(file);
        Map<String, String> meta = Safetensors.metadata(file);
        try {
            Tensor w = tensor(t, "weights", weights, file), b = tensor(t, "buffers", buffers, file);
            Map<String, Tensor> optimizer = new LinkedHashMap<>();
            t.forEach((k, e) -> {
                if (k.startsWith("optimizer.")) optimizer.put(k.substring("optimizer.".length()), tensor(t, k, -1, file));
            });
            EarlyStopping.Progress watch = null;
            if (meta.containsKey("best_epoch"))
                watch = new EarlyStopping.Progress(Double.parseDouble(meta.get("best_loss")), Integer.parseInt(meta.get("best_epoch")),
                        Integer.parseInt(meta.get("since_best")), Integer.parseInt(meta.get("watched_epochs")),
                        t.containsKey("best.weights") ? tensor(t, "best.weights", weights, file) : null,
                        t.containsKey("best.buffers") ? tensor(t, "best.buffers", buffers, file) : null);
            List<EpochMetrics> history = new ArrayList<>();
            for (JsonNode m : RunFolder.JSON.readTree(meta.get("history"))) history.add(metrics(m));
            return new TrainingState(Integer.parseInt(meta.get("epoch")), Boolean.parseBoolean(meta.get("finished")), w, b, optimizer,
                    Long.parseLong(meta.get("optimizer_steps")), tensor(t, "schedule_metrics", -1, file).toDoubleArray(), watch,
                    Integer.parseInt(meta.get("last_good_epoch")), Double.parseDouble(meta.get("last_good_loss")),
                    tensor(t, "last_good.weights", weights, file), tensor(t, "last_good.buffers", buffers, file), history);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) throw u;
            throw new UserError(file + ": not a ravine checkpoint (" + e.getMessage() + ")");
        }
    }

    /** Tensor {@code name} as stored, in its own dtype; {@code size} checked unless negative. */
    private static Tensor tensor(Map<String, Safetensors.Entry> all, String name, int size, Path file) {
        Safetensors.Entry e = all.get(name);
        if (e == null) throw new UserError(file + ": no tensor '" + name + "'");
        if (size >= 0 && e.values().length != size)
            throw new UserError(file + ": tensor '" + name + "' holds " + e.values().length + " values, the run's model needs " + size);
        Tensor out = Tensor.zeros(e.dtype(), 1, e.values().length);
        for (int i = 0; i < e.values().length; i++) out.set(i, e.values()[i]);
        return out;
    }

    /** An epoch's figures read back from {@link EpochMetrics#asMap}'s JSON. */
    private static EpochMetrics metrics(JsonNode m) {
        EpochMetrics e = new EpochMetrics(m.get("epoch").asInt(), m.get("train_loss").asDouble(), number(m, "penalty"), number(m, "train_accuracy"),
                number(m, "val_loss"), number(m, "val_accuracy"), number(m, "val_rmse"), number(m, "test_loss"), number(m, "test_accuracy"),
                m.get("lr").asDouble(), m.get("seconds").asDouble(), m.get("samples_per_s").asDouble());
        List<String> columns = List.of(EpochMetrics.COLUMNS);
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!columns.contains(f.getKey())) e.diagnostics().put(f.getKey(), f.getValue().isIntegralNumber() ? f.getValue().asLong() : f.getValue().asDouble());
        }
        return e;
    }

    private static Double number(JsonNode m, String key) {
        return m.has(key) ? m.get(key).asDouble() : null;
    }
}
