package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.UserError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.ravine.tensor.DType;
import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    private static Dataset read(String csv, String target, Task task) throws Exception {
        return CsvReader.read(new BufferedReader(new StringReader(csv)), "t.csv", target, task, DType.FLOAT64, true);
    }

    @Test
    void embeddedSetsResolveToTheirTasks() {
        Dataset digits = Datasets.load("digits", null, null, DType.FLOAT32).data();
        assertEquals(Task.CLASSIFICATION, digits.task());
        assertEquals(10, digits.classes());
        assertEquals(1797, digits.rows());
        assertEquals(64, digits.features());
        assertEquals(2, Datasets.load("breast_cancer", null, null, DType.FLOAT32).data().classes());
        Dataset diabetes = Datasets.load("diabetes", null, null, DType.FLOAT64).data();
        assertEquals(Task.REGRESSION, diabetes.task(), "whole-number targets with many values are a regression");
        assertEquals(151.0, diabetes.y().get(0), 0);
    }

    /** A gzip-compressed CSV file reads as its text does, whatever its name says. */
    @Test
    void gzipCompressedFilesReadAsTheirText(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        byte[] text;
        try (var in = Datasets.class.getResourceAsStream("breast_cancer.csv")) {
            text = in.readAllBytes();
        }
        java.nio.file.Path plain = tmp.resolve("b.csv"), packed = tmp.resolve("b.csv.gz"), unnamed = tmp.resolve("b.data");
        java.nio.file.Files.write(plain, text);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text);
        }
        java.nio.file.Files.write(packed, bytes.toByteArray());
        java.nio.file.Files.write(unnamed, bytes.toByteArray());
        Dataset expected = Datasets.load(plain.toString(), null, null, DType.FLOAT64).data();
        for (java.nio.file.Path p : List.of(packed, unnamed)) {
            Dataset d = Datasets.load(p.toString(), null, null, DType.FLOAT64).data();
            assertEquals(expected.featureNames(), d.featureNames());
            assertArrayEquals(expected.x().toDoubleArray(), d.x().toDoubleArray(), 0);
            assertArrayEquals(expected.y().toDoubleArray(), d.y().toDoubleArray(), 0);
        }
        assertTrue(bytes.size() < text.length / 2, "compressed: " + bytes.size() + " of " + text.length);
    }

    @Test
    void targetColumnCanBeAnyColumnAndQuotesAndBlankLinesAreTolerated() throws Exception {
        Dataset d = read("\"y\",a,b\n\n1,0.5,2\n0, 1.5 ,\"3\"\n", "y", Task.CLASSIFICATION);
        assertEquals(2, d.features());
        assertEquals("a", d.featureNames().get(0));
        assertEquals(1.5, d.x().get(1, 0), 0);
        assertEquals(3.0, d.x().get(1, 1), 0);
        assertEquals(1.0, d.y().get(0), 0);
    }

    @Test
    void rowsWithoutTheTargetReadForPrediction() throws Exception {
        Dataset d = CsvReader.read(new BufferedReader(new StringReader("a,b\n1,2\n")), "t.csv", "y", Task.CLASSIFICATION, DType.FLOAT64, false);
        assertNull(d.targetName());
        assertEquals(2, d.features());
    }

    @Test
    void splitIsSeededAndKeepsFileOrder() {
        Dataset digits = Datasets.load("digits", null, null, DType.FLOAT64).data();
        Split a = Split.of(digits, 0.2, 3), b = Split.of(digits, 0.2, 3), c = Split.of(digits, 0.2, 4);
        assertEquals(359, a.validation().rows());
        assertEquals(a.validation().x().get(5, 20), b.validation().x().get(5, 20), 0);
        boolean differs = false;
        for (int i = 0; i < 50 && !differs; i++) differs = a.validation().y().get(i) != c.validation().y().get(i) || a.validation().x().get(i, 10) != c.validation().x().get(i, 10);
        assertEquals(true, differs, "another seed draws other rows");
        assertEquals(digits, Split.of(digits, 0, 3).train(), "--val 0 trains on the data as given");
    }

    /** The fast decimal path gives Double.parseDouble's double, bit for bit, or hands the text on (NaN). */
    private static void sameAsParseDouble(String text) {
        double fast = CsvReader.decimal(text, 0, text.length());
        if (Double.isNaN(fast)) return;
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(fast), text);
    }

    @Test
    void decimalsReadAsParseDoubleReadsThem() {
        for (String t : new String[] {"0", "-0", "+0", "-0.0", "0.0392157", "1.", ".5", "-.5", "007", "1e5", "1E-5", "2.5e+3",
                "9007199254740991", "0.1", "0.3", "1e22", "1e-22", "4.35e-15", "-1.797693134862315"}) {
            sameAsParseDouble(t);
            assertTrue(!Double.isNaN(CsvReader.decimal(t, 0, t.length())), t + " takes the fast path");
        }
        for (String t : new String[] {"", "-", ".", "e5", "1e", "1e+", "1.2.3", "1x", "0x10", "NaN", "Infinity", "1d", "2f", "1e23", "1e999",
                "1234567890123456789", "123456789012345678", "9007199254740993", "1e-99999999999", " 1"})
            assertTrue(Double.isNaN(CsvReader.decimal(t, 0, t.length())), t + " goes to Double.parseDouble");
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double v = Double.longBitsToDouble(rng.nextLong());
            if (!Double.isFinite(v)) continue;
            sameAsParseDouble(Double.toString(v));
            double u = rng.nextDouble(-1e6, 1e6);
            sameAsParseDouble(String.format(Locale.ROOT, "%." + rng.nextInt(1, 17) + "g", u));
            sameAsParseDouble(String.format(Locale.ROOT, "%." + rng.nextInt(0, 12) + "f", u / 1e4));
            StringBuilder digits = new StringBuilder(rng.nextBoolean() ? "-" : "");
            for (int d = rng.nextInt(1, 19); d > 0; d--) digits.append((char) ('0' + rng.nextInt(10)));
            if (rng.nextBoolean()) digits.insert(rng.nextInt(digits.length() + 1), '.');
            if (rng.nextBoolean()) digits.append('e').append(rng.nextInt(-30, 30));
            sameAsParseDouble(digits.toString());
        }
    }

    @Test
    void aLineOfTheWrongWidthIsReportedBeforeItsValues() throws Exception {
        UserError e = assertThrows(UserError.class, () -> read("a,b,y\n1,2,0\nx,4,1,9\n", "y", null));
        assertEquals("t.csv:3: expected 3 fields as in the header, found 4", e.getMessage());
        e = assertThrows(UserError.class, () -> read("a,b,y\n1,2,0\n3, x ,1\n", "y", null));
        assertEquals("t.csv:3:2: 'x' in column 'b' is not a number", e.getMessage());
        e = assertThrows(UserError.class, () -> read("a;b;y\n1;2;0\n", null, null));
        assertEquals("t.csv: needs at least one feature column besides the target (its header is the one column 'a;b;y': fields are"
                + " separated by commas)", e.getMessage());
        e = assertThrows(UserError.class, () -> read("a,b,y\n1,2,0\n3,4,\n", "y", null));
        assertEquals("t.csv:3:3: empty value in column 'y'", e.getMessage());
        Dataset d = read("a,b,y\n 1e-3 ,\t-2.50,1\n3,4,0\n", "y", null);
        assertEquals(1e-3, d.x().get(0, 0), 0);
        assertEquals(-2.5, d.x().get(0, 1), 0);
    }

    @Test
    void classesNamedInWordsBecomeTheirIndicesInSortedOrder() throws Exception {
        Dataset d = read("a,species\n1,virginica\n2,setosa\n3,\"versi, color\"\n4,setosa\n5,virginica\n6,setosa\n", null, null);
        assertEquals(Task.CLASSIFICATION, d.task());
        assertEquals(List.of("setosa", "versi, color", "virginica"), d.classNames());
        assertEquals(3, d.classes());
        double[] y = new double[d.rows()];
        for (int i = 0; i < y.length; i++) y[i] = d.y().get(i);
        assertArrayEquals(new double[] {2, 0, 1, 0, 2, 0}, y);
        assertEquals(List.of(), read("a,y\n1,0\n2,1\n3,1\n4,0\n5,1\n", null, null).classNames(), "numbers stay indices");

        Dataset mixed = read("a,y\n1,1.0\n2,cat\n3,1\n4,cat\n", null, Task.CLASSIFICATION);
        assertEquals(List.of("1", "cat"), mixed.classNames(), "a number among words is a name, written as a whole number where it is one");
        assertEquals(0.0, mixed.y().get(2), 0);
        Dataset given = CsvReader.read(new BufferedReader(new StringReader("a,y\n1,dog\n2,cat\n")), "t.csv", null, Task.CLASSIFICATION,
                DType.FLOAT64, true, new Vocabulary(List.of("dog", "cat", "bird"), Map.of()), false);
        assertEquals(3, given.classes(), "a run's classes, absent ones too");
        assertEquals(0.0, given.y().get(0), 0);
        assertEquals(1.0, given.y().get(1), 0);
    }

    @Test
    void wordsThatCannotBeClassesAreErrors() {
        UserError e = assertThrows(UserError.class, () -> read("a,y\n1,cat\n2,dog\n", null, Task.REGRESSION));
        assertEquals("t.csv:2:2: 'cat' in column 'y' is not a number", e.getMessage());
        e = assertThrows(UserError.class, () -> read("a,y\n1,cat\n2,NA\n3,dog\n", null, null));
        assertEquals("t.csv:3:2: 'NA' in column 'y' is not a number", e.getMessage(), "a mark of a missing value is no class");
        StringBuilder ids = new StringBuilder("a,y\n1,0.5\n2,1.5\n");
        for (int i = 3; i <= 24; i++) ids.append(i).append(",id").append(i).append('\n');
        e = assertThrows(UserError.class, () -> read(ids.toString(), null, null));
        assertEquals("t.csv:4:2: 'id3' in column 'y' is not a number, and its 24 distinct values are too many to be class names"
                + " (--task classification reads them as classes)", e.getMessage(), "one a row, over half the rows");
        assertEquals(24, assertDoesNotThrow(() -> read(ids.toString(), null, Task.CLASSIFICATION)).classes());
        assertEquals(5, assertDoesNotThrow(() -> read("a,y\n1,a\n2,b\n3,c\n4,d\n5,e\n", null, null)).classes(),
                "below ten, any number of names is few enough");
        e = assertThrows(UserError.class, () -> read("a,y\n1,0.5\n2,1.5\n3,id3\n4,id4\n5,2.5\n", null, null));
        assertEquals("t.csv:4:2: 'id3' in column 'y' is not a number", e.getMessage(), "words among more numbers are a mistake");
        e = assertThrows(UserError.class, () -> read("a,b,y\n1,x,0\n", null, null));
        assertEquals("t.csv:2:2: 'x' in column 'b' is not a number", e.getMessage(), "one word alone is a stray word, even with no number beside it");
        e = assertThrows(UserError.class, () -> read("a,b,y\n1,x,0\n2,x,1\n3,x,1\n", null, null));
        assertEquals("t.csv:2:2: 'x' in column 'b' is not a number", e.getMessage(), "a column of one word says nothing");
        e = assertThrows(UserError.class, () -> CsvReader.read(new BufferedReader(new StringReader("a,y\n1,cat\n2,bird\n")), "t.csv", null,
                Task.CLASSIFICATION, DType.FLOAT64, true, new Vocabulary(List.of("cat", "dog"), Map.of()), false));
        assertEquals("t.csv:3:2: class 'bird' in column 'y' is not one the model was trained on (cat, dog)", e.getMessage());
    }

    @Test
    void featureColumnsInWordsBecomeOneFeatureACategory() throws Exception {
        Dataset d = read("x,color,\"size\",y\n0.5,red,S,1\n1.5,blue,L,0\n2.5,red,3,1\n", null, Task.CLASSIFICATION);
        assertEquals(List.of("x", "color=blue", "color=red", "size=3", "size=L", "size=S"), d.featureNames());
        assertEquals(Map.of("color", List.of("blue", "red"), "size", List.of("3", "L", "S")), d.vocabulary().categories());
        double[][] expected = {{0.5, 0, 1, 0, 0, 1}, {1.5, 1, 0, 0, 1, 0}, {2.5, 0, 1, 1, 0, 0}};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 6; j++) assertEquals(expected[i][j], d.x().get(i, j), 0, "row " + i + " feature " + j);
        assertEquals(List.of(), d.classNames());

        // read by a run's vocabulary: its categories, absent ones too, and numbers in a column of words are words
        Vocabulary run = new Vocabulary(List.of(), Map.of("color", List.of("blue", "green", "red")));
        Dataset again = CsvReader.read(new BufferedReader(new StringReader("color,x,y\nred,1,0\n")), "u.csv", null, Task.CLASSIFICATION,
                DType.FLOAT64, true, run, false);
        assertEquals(List.of("color=blue", "color=green", "color=red", "x"), again.featureNames());
        assertEquals(1.0, again.x().get(0, 2), 0);
        UserError e = assertThrows(UserError.class, () -> CsvReader.read(new BufferedReader(new StringReader("color,x,y\npink,1,0\n")), "u.csv", null,
                Task.CLASSIFICATION, DType.FLOAT64, true, run, false));
        assertEquals("u.csv:2:1: category 'pink' in column 'color' is not one the model was trained on (blue, green, red)", e.getMessage());
        e = assertThrows(UserError.class, () -> CsvReader.read(new BufferedReader(new StringReader("color,x,y\nred,big,0\n")), "u.csv", null,
                Task.CLASSIFICATION, DType.FLOAT64, true, run, false));
        assertEquals("u.csv:2:2: 'big' in column 'x' is not a number", e.getMessage(), "a column the run read as numbers stays numbers");

        Dataset alley = read("alley,y\nNA,1\nGrvl,0\nNA,1\n", null, null);
        assertEquals(List.of("alley=Grvl", "alley=NA"), alley.featureNames(), "in a feature column NA is a category, as some data sets use it");

        StringBuilder names = new StringBuilder("name,y\n");
        for (int i = 0; i < 30; i++) names.append("person").append(i).append(',').append(i % 2).append('\n');
        e = assertThrows(UserError.class, () -> read(names.toString(), null, null));
        assertEquals("t.csv:2:1: 'person0' in column 'name' is not a number, and its 30 distinct values are too many to be categories", e.getMessage());
        e = assertThrows(UserError.class, () -> read("color,color=red,y\nred,1,0\nblue,0,1\n", null, null));
        assertEquals("t.csv: two features are named 'color=red' (a column, and a category of a column in words)", e.getMessage());
    }

    @Test
    void missingFeaturesReadAsNaNWhereTheyAreFilledAndAsErrorsElsewhere() throws Exception {
        String csv = "x,color,y\n1.5,red,0\n,blue,1\nNA,,0\n?,red,1\n";
        UserError e = assertThrows(UserError.class, () -> read(csv, null, Task.CLASSIFICATION));
        assertEquals("t.csv:3:1: empty value in column 'x'", e.getMessage());
        Dataset d = CsvReader.read(new BufferedReader(new StringReader(csv)), "t.csv", null, Task.CLASSIFICATION, DType.FLOAT64, true, null, true);
        assertEquals(List.of("x", "color=blue", "color=red"), d.featureNames());
        assertEquals(1.5, d.x().get(0, 0), 0);
        for (int i = 1; i < 4; i++) assertTrue(Double.isNaN(d.x().get(i, 0)), "row " + i + " has no x");
        assertEquals(0.0, d.x().get(2, 1) + d.x().get(2, 2), 0, "a missing category is none of them");
        assertEquals(1.0, d.x().get(1, 1), 0);
        e = assertThrows(UserError.class, () -> CsvReader.read(new BufferedReader(new StringReader("x,y\n1,0\n2,\n")), "t.csv", null,
                Task.CLASSIFICATION, DType.FLOAT64, true, null, true));
        assertEquals("t.csv:3:2: empty value in column 'y'", e.getMessage(), "a missing label is never filled");
    }
}
