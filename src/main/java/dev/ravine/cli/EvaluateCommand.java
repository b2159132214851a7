package dev.ravine.cli;

import dev.ravine.data.Dataset;
import dev.ravine.train.Calibration;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.ConfusionMatrix;
import dev.ravine.train.Evaluation;
import dev.ravine.train.RocAuc;
import dev.ravine.train.SavedRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Loss and accuracy of a run's model on its validation split or a CSV file.",
        description = {"Loss and accuracy (or RMSE) of a run's saved model on its own validation split, or on another CSV file, with the run's preprocessing. "
                + "For classification, the confusion matrix and each class's precision, recall, F1 and support, the ROC AUC (one class against "
                + "the rest, averaged over the classes) and the expected calibration error (Guo et al. 2017); for regression, RMSE, MAE and R^2; "
                + "as scikit-learn reports them."})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a folder written by 'ravine train'")
    Path runDir;
    @Option(names = "--data", paramLabel = "FILE", description = "a CSV file with the run's feature and target columns (or an embedded set's name, as train takes it)")
    Path data;
    @Option(names = "--format", paramLabel = "text|json", description = "default: text")
    String format = "text";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw a classifier's reliability diagram (accuracy against confidence) to FILE.png or FILE.svg")
    Path plot;

    @Override
    public Integer call() {
        Formats.check(format, "text", "json");
        SavedRun run = SavedRun.load(runDir);
        if (plot != null && run.task != dev.ravine.data.Task.CLASSIFICATION)
            throw new dev.ravine.UserError("--plot " + plot + ": the reliability diagram is a classifier's, and this run is a regression");
        Dataset rows = data == null ? run.validation() : run.readRows(data, true);
        Evaluation e = Evaluation.of(run.model.network, run.loss, rows);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", e.rows());
        result.put("loss", e.loss());
        if (e.accuracy() != null) result.put("accuracy", e.accuracy());
        if (e.rmse() != null) {
            result.put("rmse", e.rmse());
            result.put("mae", e.mae());
            result.put("r2", e.r2());
        }
        List<String> names = run.vocabulary.classLabels(run.classes);
        RocAuc auc = null;
        Calibration calibration = null;
        if (e.confusion() != null) {
            result.put("confusion_matrix", e.confusion().counts());
            result.put("classes", e.confusion().scores(names));
            result.put("macro_f1", e.confusion().macroF1());
            ClassProbabilities p = ClassProbabilities.of(run.model.network, rows);
            auc = RocAuc.of(p);
            calibration = Calibration.of(p);
            result.put("roc_auc", finite(auc.macro()));
            result.put("roc_auc_by_class", java.util.Arrays.stream(auc.byClass()).mapToObj(EvaluateCommand::finite).toList());
            result.put("ece", finite(calibration.expectedError()));
            if (plot != null)
                dev.ravine.report.LineChart.reliability(calibration.bins().stream().mapToDouble(Calibration.Bin::confidence).toArray(),
                        calibration.bins().stream().mapToDouble(Calibration.Bin::accuracy).toArray(),
                        data == null ? "the validation rows" : data.getFileName().toString()).save(plot);
        }
        var out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.line(result));
        else {
            out.printf(Locale.ROOT, "rows %d  loss %.6f  %s%n", e.rows(), e.loss(),
                    e.accuracy() != null ? String.format(Locale.ROOT, "accuracy %.4f", e.accuracy())
                            : String.format(Locale.ROOT, "rmse %.6f  mae %.6f  r2 %.4f", e.rmse(), e.mae(), e.r2()));
            if (e.confusion() != null) {
                out.print(table(e.confusion(), names));
                out.printf(Locale.ROOT, "roc auc %s  expected calibration error %.4f%n",
                        Double.isNaN(auc.macro()) ? "undefined" : String.format(Locale.ROOT, "%.4f", auc.macro()), calibration.expectedError());
            }
        }
        return 0;
    }

    /** The confusion matrix (up to 20 classes) and each class's scores, as text. */
    private static String table(ConfusionMatrix m, List<String> names) {
        int w = 6;
        for (String n : names) w = Math.max(w, Math.min(n.length(), 16) + 1);
        StringBuilder b = new StringBuilder();
        if (m.classes() <= 20) {
            b.append("confusion matrix (rows: true class, columns: predicted)\n").append(" ".repeat(w));
            for (String n : names) b.append(String.format(Locale.ROOT, "%" + w + "s", cut(n)));
            b.append('\n');
            for (int t = 0; t < m.classes(); t++) {
                b.append(String.format(Locale.ROOT, "%-" + w + "s", cut(names.get(t))));
                for (long c : m.counts()[t]) b.append(String.format(Locale.ROOT, "%" + w + "d", c));
                b.append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "%-" + w + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (ConfusionMatrix.Scores c : m.scores(names))
            b.append(String.format(Locale.ROOT, "%-" + w + "s %9.4f %9.4f %9.4f %9d%n", cut(c.name()), c.precision(), c.recall(), c.f1(), c.support()));
        return b.append(String.format(Locale.ROOT, "macro f1 %.4f%n", m.macroF1())).toString();
    }

    /** null for NaN, which JSON has no number for. */
    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String cut(String name) {
        return name.length() > 16 ? name.substring(0, 15) + "~" : name;
    }
}
