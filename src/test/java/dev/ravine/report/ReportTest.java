package dev.ravine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's report.html, ravine report's chart files, and ravine compare: read back as pages, PNGs and SVGs. */
class ReportTest {
    private static final Pattern IMAGE = Pattern.compile("<img alt=\"([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\"");

    private static Path train(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--epochs", "3", "--out", dir.toString(), "--format", "json"));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        return dir;
    }

    /** The titles of the page's inline images, each decoded as a PNG of the charts' size. */
    private static List<String> images(String html) throws Exception {
        List<String> titles = new ArrayList<>();
        Matcher m = IMAGE.matcher(html);
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
            assertNotNull(img, m.group(1) + " is a PNG");
            assertTrue(img.getWidth() >= LineChart.WIDTH, m.group(1) + " at full size");
            titles.add(m.group(1));
        }
        return titles;
    }

    /** Nothing on the page is fetched: no URL in a src, href, url() or import. */
    private static void loadsNothing(String html) {
        for (String bad : new String[] {"src=\"http", "href=\"http", "url(", "@import", "<script", "<link"})
            assertFalse(html.contains(bad), "the page contains " + bad);
    }

    @Test
    void trainingWritesASelfContainedReportWithItsCharts(@TempDir Path tmp) throws Exception {
        Path run = train(tmp.resolve("run"), "--diagnose", "1");
        String html = Files.readString(run.resolve("report.html"));
        loadsNothing(html);
        assertEquals(List.of("Loss", "Accuracy", "Learning rate", "Gradient norm per layer", "Dead ReLU units", "Sharpness",
                "Reliability on the validation rows"), images(html));
        for (String text : new String[] {"adam", "digits", "best epoch (lowest val_loss)", "final val_accuracy", "<figcaption>"})
            assertTrue(html.contains(text), "the report shows " + text);

        Path charts = tmp.resolve("charts");
        Cli r = Cli.run("report", run.toString(), "--charts", charts.toString());
        assertEquals(0, r.exit(), r::toString);
        BufferedImage loss = ImageIO.read(charts.resolve("loss.png").toFile());
        assertEquals(LineChart.WIDTH, loss.getWidth());
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // the SVG DTD is not fetched
        var svg = xml.newDocumentBuilder().parse(charts.resolve("loss.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals("720.0", svg.getDocumentElement().getAttribute("width"));
        // XChart draws its text as outlines; the series are told apart by their lines' colours, the palette's first two
        String text = Files.readString(charts.resolve("loss.svg"));
        assertTrue(text.contains("stroke:rgb(214,39,40)") && text.contains("stroke:rgb(31,119,180)"), "a train and a validation line");
        assertFalse(text.contains("stroke:rgb(44,160,44)"), "no test line without a test set");
    }

    @Test
    void compareOverlaysRunsAndTabulatesThem(@TempDir Path tmp) throws Exception {
        Path a = train(tmp.resolve("adam")), b = train(tmp.resolve("sgd"), "--optimizer", "sgd:lr=0.05,momentum=0.9"),
                c = train(tmp.resolve("rmsprop"), "--optimizer", "rmsprop:lr=0.001");
        Path out = tmp.resolve("cmp");
        Cli r = Cli.run("compare", a.toString(), b.toString(), c.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        String html = Files.readString(out.resolve("report.html"));
        loadsNothing(html);
        assertEquals(List.of("Validation loss by epoch", "Validation loss by training time", "Validation accuracy by epoch", "Training loss by epoch"),
                images(html));
        for (String label : new String[] {"adam: adam", "sgd: sgd:lr=0.05,momentum=0.9", "rmsprop: rmsprop:lr=0.001"})
            assertTrue(html.contains("<td>" + label + "</td>"), "a table row for " + label);
        assertTrue(Files.size(out.resolve("charts").resolve("validation-loss-by-epoch.svg")) > 1000);

        Cli one = Cli.run("compare", a.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, one.exit(), one::toString);
        Cli notRun = Cli.run("report", tmp.toString());
        assertEquals(2, notRun.exit(), notRun::toString);
        assertTrue(notRun.err().contains("not a run folder"), notRun.err());
    }

    @Test
    void curvatureResultsOfARunJoinItsReport(@TempDir Path tmp) throws Exception {
        Path run = train(tmp.resolve("run"), "--data", "breast_cancer", "--model", "mlp:6:tanh");
        for (String[] args : new String[][] {{"hessian", run.toString(), "--method", "full"}, {"interpolate", run.toString(), "--points", "9"},
                {"landscape", run.toString(), "--grid", "9"}, {"units", run.toString()}}) {
            Cli r = Cli.run(args);
            assertEquals(0, r.exit(), r::toString);
        }
        String html = Files.readString(run.resolve("report.html"));
        loadsNothing(html);
        assertEquals(List.of("Loss", "Accuracy", "Learning rate", "Reliability on the validation rows", "Hessian spectrum",
                "Loss from the initial weights to the trained ones", "Loss landscape"),
                titles(html));
        assertEquals(7, images(html).size(), "every chart a PNG"); // the landscape is ravine's own contour chart, wider
        assertTrue(html.contains("<h3>Hidden units</h3>") && html.contains("max_stable_lr"), "the units table and the Hessian's figures");
        // another model's weights analysed on the run's data are not the run's results
        Path other = tmp.resolve("other.safetensors");
        Files.copy(run.resolve("init.safetensors"), other);
        Files.delete(run.resolve("analysis").resolve("units.json"));
        assertEquals(0, Cli.run("units", run.toString(), "--weights", other.toString()).exit());
        assertFalse(Files.exists(run.resolve("analysis").resolve("units.json")), "results for other weights are not kept");
    }

    /**
     * A curvature result rewrites the page with the training charts it already holds where nothing they are drawn from
     * changed since (painting them costs a new JVM ~0.4 s), and draws them again where something did.
     */
    @Test
    void aCurvatureResultKeepsTheChartsThePageDrewUnlessTheirInputsChanged(@TempDir Path tmp) throws Exception {
        Path run = train(tmp.resolve("run"), "--data", "breast_cancer", "--model", "mlp:6:tanh");
        Path page = run.resolve("report.html");
        String start = "<!-- ravine: training charts -->\n", end = "<!-- ravine: end of training charts -->\n";
        String html = Files.readString(page);
        int a = html.indexOf(start), b = html.indexOf(end);
        assertTrue(a >= 0 && b > a, "the training charts are marked");
        String drawn = html.substring(a + start.length(), b);
        assertEquals(4, images(drawn).size());
        Files.writeString(page, html.substring(0, a + start.length()) + "<p>as drawn before</p>\n" + html.substring(b)); // newer than the inputs
        assertEquals(0, Cli.run("units", run.toString()).exit());
        html = Files.readString(page);
        assertTrue(html.contains(start + "<p>as drawn before</p>\n" + end), "the page's own charts kept");
        assertTrue(html.contains("<h3>Hidden units</h3>"), "and the new result added");
        Files.setLastModifiedTime(run.resolve("metrics.csv"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(0, Cli.run("units", run.toString()).exit());
        html = Files.readString(page);
        assertFalse(html.contains("as drawn before"), "metrics newer than the page: drawn again");
        assertEquals(drawn, html.substring(html.indexOf(start) + start.length(), html.indexOf(end)));
    }

    private static List<String> titles(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img alt=\"([^\"]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void repeatedOptimizersTrainFromOneInitialisationIntoOneComparison(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("which");
        Cli r = Cli.run("train", "--epochs", "2", "--optimizer", "adam", "--optimizer", "sgd:lr=0.1,momentum=0.9", "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        byte[] first = Files.readAllBytes(out.resolve("1-adam").resolve("init.safetensors"));
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(out.resolve("2-sgd").resolve("init.safetensors"))), "the same initial weights");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<td>1-adam: adam</td>") && html.contains("<td>2-sgd: sgd:lr=0.1,momentum=0.9</td>"), "both runs in the table");
        assertTrue(r.out().contains("best epoch") && r.out().contains("report: "), "a summary per run: " + r.out());
    }

    /** Where Chromium is installed (Debian's chromium), the report renders headless with the network cut off. */
    @Test
    void theReportRendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null, "chromium is not installed");
        Path run = train(tmp.resolve("run"));
        Path shot = tmp.resolve("shot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1100,2600", "--screenshot=" + shot, run.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "a screenshot: " + Files.readString(tmp.resolve("chromium.log")));
        assertEquals(1100, img.getWidth());
        long dark = 0; // the charts' lines and labels: a blank page would have none
        for (int y = 0; y < img.getHeight(); y += 2)
            for (int x = 0; x < img.getWidth(); x += 2) if ((img.getRGB(x, y) & 0xff) < 100) dark++;
        assertTrue(dark > 2000, "the page shows charts and text: " + dark + " dark pixels");
    }
}
