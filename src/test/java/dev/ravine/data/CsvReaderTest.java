package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
