package dev.ravine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved run answers {@code evaluate} and {@code predict} with the figures and preprocessing it trained with. */
class EvaluatePredictTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a command refused with exit code 2 printed on stderr. */
    private static String refusal(String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.exit(), r::toString);
        return r.err();
    }

    @Test
    void evaluateRepeatsTheRunsFinalValidationFigures(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli train = Cli.run("train", "--epochs", "3", "--seed", "4", "--out", run.toString(), "--format", "json");
        assertEquals(0, train.exit(), train::toString);
        List<String> epochs = train.out().lines().toList();
        JsonNode last = JSON.readTree(epochs.get(epochs.size() - 1));
        for (String f : List.of("epoch", "train_loss", "val_loss", "val_accuracy", "lr", "seconds", "samples_per_s"))
            assertTrue(last.has(f), "epoch line has " + f);
        assertTrue(!last.has("val_rmse") && !last.has("test_loss"), "absent figures are omitted");
        for (String f : List.of("model.safetensors", "init.safetensors", "metrics.csv", "run.json"))
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and three epochs");

        Cli eval = Cli.run("evaluate", run.toString(), "--format", "json");
        assertEquals(0, eval.exit(), eval::toString);
        JsonNode e = JSON.readTree(eval.out());
        assertEquals(359, e.get("rows").asInt());
        assertEquals(last.get("val_loss").asDouble(), e.get("loss").asDouble(), 1e-6);
        assertEquals(last.get("val_accuracy").asDouble(), e.get("accuracy").asDouble(), 0);
    }

    /** run.json keeps the smoothing, so evaluate (and every analysis of the run) measures the loss the run trained on. */
    @Test
    void aRunTrainedWithLabelSmoothingIsEvaluatedWithIt(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("smooth");
        assertEquals(0, Cli.run("train", "--epochs", "2", "--loss", "cross_entropy:label_smoothing=0.2", "--out", run.toString()).exit());
        JsonNode saved = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals("cross_entropy:label_smoothing=0.2", saved.get("settings").get("loss").asText());
        JsonNode e = JSON.readTree(Cli.run("evaluate", run.toString(), "--format", "json").out());
        assertEquals(saved.get("final").get("val_loss").asDouble(), e.get("loss").asDouble(), 1e-6);
        // cross-entropy against q is never below q's own entropy, 0.867 for eps 0.2 over 10 classes (plain: 0)
        double on = 0.82, off = 0.02, entropy = -on * Math.log(on) - 9 * off * Math.log(off);
        assertTrue(e.get("loss").asDouble() > entropy, e.toString());
        assertEquals("ravine: --optimizer kfac:fisher=true: fisher=true takes plain cross-entropy's gradients at targets sampled from the model's "
                + "predictive distribution, and the loss is cross_entropy:label_smoothing=0.2; use fisher=empirical", refusal("train", "--epochs", "1",
                "--loss", "cross_entropy:label_smoothing=0.2", "--optimizer", "kfac:fisher=true", "--out", tmp.resolve("k").toString()).strip());
        assertEquals("ravine: --loss cross_entropy:label_smoothing=-1: label_smoothing must be between 0.0 and 1.0", refusal("train", "--loss",
                "cross_entropy:label_smoothing=-1").strip());
    }

    /**
     * weight=balanced becomes the training rows' own weights, n / (K n_k), which run.json keeps as numbers, so evaluate
     * and the analyses weigh the classes as training did; weights that are not one a class, and K-FAC's sampled
     * Fisher, are refused before anything is written.
     */
    @Test
    void aRunTrainedWithClassWeightsKeepsThem(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("weighted");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--epochs", "2", "--val", "0", "--loss", "cross_entropy:weight=balanced",
                "--out", run.toString()).exit());
        JsonNode saved = JSON.readTree(run.resolve("run.json").toFile());
        // breast_cancer: 212 malignant (class 0) and 357 benign of 569 rows
        assertEquals("cross_entropy:weight=" + 569.0 / (2 * 212) + "|" + 569.0 / (2 * 357), saved.get("settings").get("loss").asText());
        JsonNode e = JSON.readTree(Cli.run("evaluate", run.toString(), "--data", "src/main/resources/dev/ravine/data/breast_cancer.csv", "--format",
                "json").out());
        JsonNode h = JSON.readTree(Cli.run("hessian", run.toString(), "--method", "lanczos", "--top", "1", "--format", "json").out());
        assertEquals(e.get("loss").asDouble(), h.get("loss").asDouble(), 1e-6, "the analyses measure the weighted loss as evaluate does");
        Path other = tmp.resolve("o");
        assertEquals("ravine: --loss cross_entropy:weight=1.0|2.0: weight gives 2 class weights, and the data has 10 classes",
                refusal("train", "--loss", "cross_entropy:weight=1|2", "--out", other.toString()).strip());
        assertFalse(Files.exists(other), "nothing written");
        assertTrue(refusal("train", "--data", "breast_cancer", "--loss", "cross_entropy:weight=1|2", "--optimizer", "kfac:fisher=true", "--out",
                other.toString()).contains("and the loss is cross_entropy:weight=1.0|2.0; use fisher=empirical"));
    }

    @Test
    void predictGivesClassesWithProbabilitiesWithOrWithoutTheTarget(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--epochs", "5", "--out", run.toString()).exit());
        List<String> rows = Files.readAllLines(Path.of("src/main/resources/dev/ravine/data/breast_cancer.csv")).subList(0, 41);
        Path withTarget = Files.write(tmp.resolve("with.csv"), rows);
        Path without = Files.write(tmp.resolve("without.csv"), rows.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Cli a = Cli.run("predict", run.toString(), "--data", withTarget.toString());
        Cli b = Cli.run("predict", run.toString(), "--data", without.toString());
        assertEquals(0, a.exit(), a::toString);
        assertEquals(a.out(), b.out(), "the target column makes no difference");
        List<String> lines = a.out().lines().toList();
        assertEquals("prediction,p0,p1", lines.get(0));
        assertEquals(41, lines.size());
        int correct = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            double p0 = Double.parseDouble(f[1]), p1 = Double.parseDouble(f[2]);
            assertEquals(1, p0 + p1, 1e-6);
            assertEquals(p1 > p0 ? 1 : 0, Integer.parseInt(f[0]));
            String label = rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1);
            if (f[0].equals(label)) correct++;
        }
        assertTrue(correct >= 36, "a trained model gets most of these rows right: " + correct + "/40");

        Cli eval = Cli.run("evaluate", run.toString(), "--data", withTarget.toString(), "--format", "json");
        JsonNode e = JSON.readTree(eval.out());
        assertEquals(correct / 40.0, e.get("accuracy").asDouble(), 1e-12);
        long[][] confusion = new long[2][2]; // true class by predicted, from predict's rows
        for (int i = 1; i < lines.size(); i++)
            confusion[Integer.parseInt(rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1))][Integer.parseInt(lines.get(i).split(",")[0])]++;
        assertEquals(JSON.valueToTree(confusion).toString(), e.get("confusion_matrix").toString());
        JsonNode class1 = e.get("classes").get(1);
        assertEquals("1", class1.get("name").asText());
        assertEquals(confusion[1][0] + confusion[1][1], class1.get("support").asLong());
        assertEquals((double) confusion[1][1] / (confusion[0][1] + confusion[1][1]), class1.get("precision").asDouble(), 1e-15);
        assertEquals((double) confusion[1][1] / (confusion[1][0] + confusion[1][1]), class1.get("recall").asDouble(), 1e-15);
        List<String> text = Cli.run("evaluate", run.toString(), "--data", withTarget.toString()).out().lines().toList();
        assertEquals("confusion matrix (rows: true class, columns: predicted)", text.get(1));
        assertEquals(String.format("%-6s%6d%6d", "1", confusion[1][0], confusion[1][1]), text.get(4));
    }

    @Test
    void anEmbeddedSetIsReadByItsNameAsTheFileItShips(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--epochs", "2", "--out", run.toString()).exit());
        Path file = tmp.resolve("all.csv");
        Files.copy(Path.of("src/main/resources/dev/ravine/data/breast_cancer.csv"), file);
        for (String command : new String[] {"evaluate", "predict"}) {
            Cli byName = Cli.run(command, run.toString(), "--data", "breast_cancer"), byFile = Cli.run(command, run.toString(), "--data", file.toString());
            assertEquals(0, byName.exit(), byName::toString);
            assertEquals(byFile.out(), byName.out(), command);
        }
        assertTrue(Cli.run("evaluate", run.toString(), "--data", "breast_cancer").out().startsWith("rows 569 "));
        Cli missing = Cli.run("predict", run.toString(), "--data", tmp.resolve("nowhere.csv").toString());
        assertEquals(2, missing.exit(), missing::toString);
        assertEquals("ravine: " + tmp.resolve("nowhere.csv") + ": no such file", missing.err().strip());
    }

    @Test
    void regressionReportsRmse(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli train = Cli.run("train", "--data", "diabetes", "--epochs", "2", "--out", run.toString(), "--format", "json");
        assertEquals(0, train.exit(), train::toString);
        JsonNode last = JSON.readTree(train.out().lines().reduce((x, y) -> y).orElseThrow());
        assertTrue(last.has("val_rmse") && !last.has("val_accuracy"));
        Cli predict = Cli.run("predict", run.toString(), "--data", "src/main/resources/dev/ravine/data/diabetes.csv");
        assertEquals("prediction", predict.out().lines().findFirst().orElseThrow());
        assertEquals(443, predict.out().lines().count());

        // MAE and R^2 as scikit-learn computes them, from predict's values and the file's targets
        double[] p = predict.out().lines().skip(1).mapToDouble(Double::parseDouble).toArray();
        double[] y = Files.readAllLines(Path.of("src/main/resources/dev/ravine/data/diabetes.csv")).stream().skip(1)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).toArray();
        double mean = java.util.Arrays.stream(y).average().orElseThrow(), absolute = 0, residual = 0, total = 0;
        for (int i = 0; i < y.length; i++) {
            absolute += Math.abs(p[i] - y[i]);
            residual += (p[i] - y[i]) * (p[i] - y[i]);
            total += (y[i] - mean) * (y[i] - mean);
        }
        JsonNode e = JSON.readTree(Cli.run("evaluate", run.toString(), "--data", "src/main/resources/dev/ravine/data/diabetes.csv", "--format", "json").out());
        assertEquals(absolute / y.length, e.get("mae").asDouble(), 1e-12 * absolute / y.length);
        assertEquals(1 - residual / total, e.get("r2").asDouble(), 1e-12);
        assertEquals(Math.sqrt(residual / y.length), e.get("rmse").asDouble(), 1e-9 * Math.sqrt(residual / y.length));
    }

    @Test
    void classesNamedInWordsTrainAsTheirSortedIndicesAndPredictByName(@TempDir Path tmp) throws Exception {
        // breast_cancer's 0 is malignant and 1 benign; in words they sort the other way round, so the words train
        // exactly as the flipped numbers do
        List<String> rows = Files.readAllLines(Path.of("src/main/resources/dev/ravine/data/breast_cancer.csv"));
        List<String> words = new java.util.ArrayList<>(List.of(rows.get(0))), flipped = new java.util.ArrayList<>(List.of(rows.get(0)));
        for (String r : rows.subList(1, rows.size())) {
            String head = r.substring(0, r.lastIndexOf(',') + 1);
            boolean malignant = r.endsWith(",0");
            words.add(head + (malignant ? "malignant" : "benign"));
            flipped.add(head + (malignant ? "1" : "0"));
        }
        Path wordsCsv = Files.write(tmp.resolve("words.csv"), words), flippedCsv = Files.write(tmp.resolve("flipped.csv"), flipped);
        Path a = tmp.resolve("words"), b = tmp.resolve("flipped");
        for (Path[] run : new Path[][] {{wordsCsv, a}, {flippedCsv, b}})
            assertEquals(0, Cli.run("train", "--data", run[0].toString(), "--epochs", "3", "--threads", "1", "--out", run[1].toString()).exit());
        JsonNode ja = JSON.readTree(a.resolve("run.json").toFile()), jb = JSON.readTree(b.resolve("run.json").toFile());
        assertEquals("[\"benign\",\"malignant\"]", ja.get("data").get("class_names").toString());
        assertTrue(!jb.get("data").has("class_names"));
        assertEquals(jb.get("final").get("val_loss").asDouble(), ja.get("final").get("val_loss").asDouble(), 0);

        Path some = Files.write(tmp.resolve("some.csv"), words.subList(0, 31));
        List<String> pa = Cli.run("predict", a.toString(), "--data", some.toString()).out().lines().toList();
        List<String> pb = Cli.run("predict", b.toString(), "--data", flippedCsv.toString()).out().lines().limit(31).toList();
        assertEquals("prediction,p0,p1,label", pa.get(0));
        for (int i = 1; i < pa.size(); i++) {
            assertEquals(pb.get(i) + "," + (pb.get(i).startsWith("0,") ? "benign" : "malignant"), pa.get(i));
        }
        JsonNode ea = JSON.readTree(Cli.run("evaluate", a.toString(), "--data", wordsCsv.toString(), "--format", "json").out());
        JsonNode eb = JSON.readTree(Cli.run("evaluate", b.toString(), "--data", flippedCsv.toString(), "--format", "json").out());
        for (String key : List.of("rows", "loss", "accuracy", "confusion_matrix", "macro_f1")) assertEquals(eb.get(key), ea.get(key), key);
        assertEquals("malignant", ea.get("classes").get(1).get("name").asText());

        Path unknown = Files.write(tmp.resolve("unknown.csv"), List.of(rows.get(0), words.get(1), words.get(2).replace("benign", "cyst")
                .replace("malignant", "cyst")));
        assertEquals("ravine: " + unknown + ":3:31: class 'cyst' in column 'label' is not one the model was trained on (benign, malignant)\n",
                refusal("evaluate", a.toString(), "--data", unknown.toString()));
    }

    @Test
    void aColumnOfCategoriesTrainsAsItsOneHotColumns(@TempDir Path tmp) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        String[] colors = {"red", "green", "blue"};
        List<String> words = new java.util.ArrayList<>(List.of("x,color,y")), numbers = new java.util.ArrayList<>(List.of("x,color=blue,color=green,color=red,y"));
        for (int i = 0; i < 200; i++) {
            double x = rng.nextDouble();
            int c = rng.nextInt(3);
            boolean yes = (x > 0.5) != (c == 0);
            words.add(x + "," + colors[c] + "," + (yes ? "yes" : "no"));
            numbers.add(x + "," + (c == 2 ? 1 : 0) + "," + (c == 1 ? 1 : 0) + "," + (c == 0 ? 1 : 0) + "," + (yes ? 1 : 0));
        }
        Path wordsCsv = Files.write(tmp.resolve("words.csv"), words), numbersCsv = Files.write(tmp.resolve("numbers.csv"), numbers);
        Path a = tmp.resolve("words"), b = tmp.resolve("numbers");
        for (Path[] run : new Path[][] {{wordsCsv, a}, {numbersCsv, b}})
            assertEquals(0, Cli.run("train", "--data", run[0].toString(), "--epochs", "4", "--threads", "1", "--out", run[1].toString()).exit());
        JsonNode ja = JSON.readTree(a.resolve("run.json").toFile()), jb = JSON.readTree(b.resolve("run.json").toFile());
        assertEquals(jb.get("data").get("features"), ja.get("data").get("features"));
        assertEquals("{\"color\":[\"blue\",\"green\",\"red\"]}", ja.get("data").get("categories").toString());
        assertEquals(jb.get("final").get("val_loss").asDouble(), ja.get("final").get("val_loss").asDouble(), 0);
        String html = Files.readString(a.resolve("report.html"));
        assertTrue(html.contains("classification, 2 classes (0 no, 1 yes)") && html.contains("<td>color (3)</td>"), "the report names them");

        // the saved model's confusion matrix on the validation rows, in run.json and the report
        JsonNode confusion = ja.get("confusion"), m = confusion.get("matrix");
        assertEquals("validation", confusion.get("split").asText());
        assertEquals(ja.get("data").get("val_rows").asInt(), confusion.get("rows").asInt());
        assertEquals(confusion.get("rows").asLong(), m.get(0).get(0).asLong() + m.get(0).get(1).asLong() + m.get(1).get(0).asLong() + m.get(1).get(1).asLong());
        assertEquals(ja.get("final").get("val_accuracy").asDouble(), (m.get(0).get(0).asDouble() + m.get(1).get(1).asDouble()) / confusion.get("rows").asInt(), 1e-15);
        assertEquals("yes", confusion.get("classes").get(1).get("name").asText());
        assertTrue(html.contains("<h3>On the validation rows (" + confusion.get("rows").asInt() + ")</h3>"), "the report shows it");
        assertTrue(!jb.get("confusion").get("classes").get(1).get("name").asText().equals("yes"), "classes in numbers keep their indices");

        // the columns in another order, and the target absent
        Path rowsA = Files.write(tmp.resolve("a.csv"), List.of("color,x", "green,0.25", "red,0.75"));
        Path rowsB = Files.write(tmp.resolve("b.csv"), List.of("color=red,color=green,x,color=blue", "0,1,0.25,0", "1,0,0.75,0"));
        List<String> pa = Cli.run("predict", a.toString(), "--data", rowsA.toString()).out().lines().toList();
        List<String> pb = Cli.run("predict", b.toString(), "--data", rowsB.toString()).out().lines().toList();
        assertEquals(3, pa.size());
        for (int i = 1; i < 3; i++) assertEquals(pb.get(i) + "," + (pb.get(i).startsWith("0,") ? "no" : "yes"), pa.get(i));

        Path pink = Files.write(tmp.resolve("pink.csv"), List.of("color,x", "pink,0.5"));
        assertEquals("ravine: " + pink + ":2:1: category 'pink' in column 'color' is not one the model was trained on (blue, green, red)\n",
                refusal("predict", a.toString(), "--data", pink.toString()));
    }

    @Test
    void missingFeaturesAreFilledWithTheTrainingRowsMeansEverywhere(@TempDir Path tmp) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        List<String> rows = new java.util.ArrayList<>(List.of("x,z,y"));
        double sumX = 0, sumZ = 0;
        int nx = 0, nz = 0;
        for (int i = 0; i < 120; i++) {
            double x = rng.nextDouble(), z = rng.nextDouble();
            boolean noX = i % 7 == 3, noZ = i % 11 == 5;
            if (!noX) { sumX += x; nx++; }
            if (!noZ) { sumZ += z; nz++; }
            rows.add((noX ? "" : Double.toString(x)) + "," + (noZ ? "NA" : Double.toString(z)) + "," + (x + z > 1 ? 1 : 0));
        }
        Path csv = Files.write(tmp.resolve("gaps.csv"), rows), run = tmp.resolve("run");
        assertEquals("ravine: " + csv + ":5:1: empty value in column 'x'\n", refusal("train", "--data", csv.toString(), "--out",
                tmp.resolve("refused").toString()), "an error unless asked to fill");
        assertEquals(0, Cli.run("train", "--data", csv.toString(), "--missing", "mean", "--val", "0", "--dtype", "float64", "--epochs", "3", "--out", run.toString()).exit());
        JsonNode fill = JSON.readTree(run.resolve("run.json").toFile()).get("imputation");
        assertEquals("mean", fill.get("strategy").asText());
        assertEquals(sumX / nx, fill.get("values").get(0).asDouble(), 1e-15);
        assertEquals(sumZ / nz, fill.get("values").get(1).asDouble(), 1e-15);

        // a file with gaps predicts as the same file with the fill values written in
        Path gaps = Files.write(tmp.resolve("p.csv"), List.of("x,z", ",0.25", "0.5,?"));
        Path filled = Files.write(tmp.resolve("f.csv"), List.of("x,z", fill.get("values").get(0).asText() + ",0.25", "0.5," + fill.get("values").get(1).asText()));
        Cli a = Cli.run("predict", run.toString(), "--data", gaps.toString()), b = Cli.run("predict", run.toString(), "--data", filled.toString());
        assertEquals(0, a.exit(), a::toString);
        assertEquals(b.out(), a.out());
        assertEquals(dev.ravine.data.Imputation.MEAN, dev.ravine.train.RunFolder.settings(run).missing(), "a resumed run fills as it did");
    }
}
