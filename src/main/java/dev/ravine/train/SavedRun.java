package dev.ravine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ravine.UserError;
import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Imputation;
import dev.ravine.data.Split;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.data.Vocabulary;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.LossSpec;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run folder read back: its settings, trained model and preprocessing, to evaluate or predict with. */
public final class SavedRun {
    public final Path dir;
    public final JsonNode json;
    public final Task task;
    public final int classes;
    /** The words of the training data: its classes' names, its categories (both empty for data in numbers). */
    public final Vocabulary vocabulary;
    public final String target;
    public final List<String> features;
    public final Standardization standardization;
    /** The values the run fills missing features with; null where they are an error. */
    public final Imputation.Fill imputation;
    public final DType dtype;
    public final Mlp model;
    public final Loss loss;
    /** The dropout the run trained with (null for none): its layers take their nn.Sequential indices, and are off here. */
    public final Dropout dropout;
    /** Whether the model has batch norm before each hidden activation. */
    public final boolean batchNorm;
    /** The L1/L2 penalty the run trained with (none for runs without one). */
    public final Penalty penalty;

    private SavedRun(Path dir, JsonNode json) {
        this.dir = dir;
        this.json = json;
        JsonNode data = need(json, "data"), settings = need(json, "settings");
        task = Task.valueOf(need(data, "task").asText().toUpperCase(java.util.Locale.ROOT));
        classes = data.path("classes").asInt(0);
        List<String> classNames = texts(data.path("class_names"));
        if (!classNames.isEmpty() && classNames.size() != classes)
            throw new IllegalArgumentException(classNames.size() + " class_names for " + classes + " classes");
        Map<String, List<String>> categories = new LinkedHashMap<>();
        data.path("categories").properties().forEach(e -> categories.put(e.getKey(), texts(e.getValue())));
        vocabulary = new Vocabulary(classNames, categories);
        target = need(data, "target").asText();
        features = new ArrayList<>();
        need(data, "features").forEach(f -> features.add(f.asText()));
        dtype = DType.parse(need(settings, "dtype").asText());
        JsonNode im = json.get("imputation");
        imputation = im == null ? null : new Imputation.Fill(Imputation.parse(need(im, "strategy").asText()), doubles(need(im, "values")));
        JsonNode st = json.get("standardization");
        standardization = st == null ? null : new Standardization(doubles(need(st, "mean")), doubles(need(st, "std")));
        int outputs = task == Task.CLASSIFICATION ? classes : 1;
        JsonNode d = settings.get("dropout");
        dropout = d == null ? null : new Dropout(d.get("p").asDouble(), Dropout.Style.parse(d.get("style").asText()), 0);
        batchNorm = settings.path("batchnorm").asBoolean(false);
        model = new Mlp(MlpSpec.parse(need(settings, "model").asText()), features.size(), outputs, dtype, TrainingRun.EVAL_CHUNK, dropout, batchNorm, false);
        Path weights = dir.resolve(RunFolder.MODEL);
        model.load(Safetensors.read(weights), weights);
        JsonNode named = settings.get("loss"); // runs from before --loss trained with the task's default
        loss = named == null ? TrainingRun.lossFor(task) : LossSpec.parse(named.asText()).forTask(task == Task.CLASSIFICATION, outputs);
        penalty = new Penalty(settings.path("l1").asDouble(0), settings.path("l2").asDouble(0));
    }

    public static SavedRun load(Path dir) {
        Path file = dir.resolve(RunFolder.RUN);
        if (!Files.isRegularFile(file)) throw new UserError(dir + ": not a run folder (no " + RunFolder.RUN + ")");
        try {
            return new SavedRun(dir, RunFolder.JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    /** The run's own validation split, rebuilt from its data, seed and fraction, with its preprocessing. */
    public Dataset validation() {
        if (json.get("settings").path("val").asDouble() == 0)
            throw new UserError(dir + ": the run kept no validation split (--val 0); give --data FILE");
        return preprocess(split(dtype).validation());
    }

    /** The run's training rows, rebuilt likewise, in the given dtype. */
    public Dataset trainingRows(DType as) {
        return preprocess(split(as).train());
    }

    private Split split(DType as) {
        JsonNode s = json.get("settings");
        String target = s.hasNonNull("target") ? s.get("target").asText() : null;
        Dataset all = Datasets.load(s.get("data").asText(), target, task, as, vocabulary, imputation != null).data().head(s.path("rows").asInt(0), "rows");
        return Split.of(all, s.path("val").asDouble(), s.path("seed").asLong() ^ TrainingRun.SPLIT_STREAM);
    }

    /**
     * Rows of a CSV file in the run's feature order, standardized as in training. The target column is optional
     * unless {@code targetRequired}; columns are matched by name.
     */
    public Dataset readRows(Path file, boolean targetRequired) {
        Dataset raw = Datasets.readCsv(file, target, task, dtype, targetRequired, vocabulary, imputation != null);
        if (targetRequired && raw.targetName() == null) throw new UserError(file + ": no target column '" + target + "'");
        int[] columns = new int[features.size()];
        for (int j = 0; j < features.size(); j++) {
            columns[j] = raw.featureNames().indexOf(features.get(j));
            if (columns[j] < 0) throw new UserError(file + ": no column '" + column(features.get(j)) + "', which the model was trained on");
        }
        if (raw.features() != features.size()) {
            List<String> extra = new ArrayList<>(raw.featureNames());
            extra.removeAll(features);
            throw new UserError(file + ": column '" + extra.get(0) + "' was not among the model's features");
        }
        if (task == Task.CLASSIFICATION && raw.targetName() != null && raw.classes() > classes)
            throw new UserError(file + ": class label " + (raw.classes() - 1) + " is beyond the model's " + classes + " classes");
        var x = dev.ravine.tensor.Tensor.zeros(dtype, raw.rows(), features.size());
        for (int i = 0; i < raw.rows(); i++)
            for (int j = 0; j < columns.length; j++) x.set(i, j, raw.x().get(i, columns[j]));
        return preprocess(new Dataset(raw.source(), features, raw.targetName(), task, classes, x, raw.y(), vocabulary));
    }

    /** The file column a feature comes from: its own name, or the column of a category's feature. */
    private String column(String feature) {
        for (String c : vocabulary.categories().keySet()) if (feature.startsWith(c + "=")) return c;
        return feature;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The training's preprocessing: missing features filled, then the scaling. */
    private Dataset preprocess(Dataset d) {
        if (imputation != null) imputation.apply(d.x());
        if (standardization != null) standardization.apply(d.x());
        return d;
    }

    /** Embedded and packaged data names, stored as typed; paths are stored absolute. */
    static boolean isNamedData(String data) {
        return Datasets.EMBEDDED.contains(data) || data.equals(Datasets.FASHION_MNIST);
    }

    private static JsonNode need(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing '" + key + "'");
        return v;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }
}
