package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentationTest {
    private static Tensor square(int side) { // one image: a 2 x 2 block of ones in the middle
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, side * side);
        for (int r = 3; r < 5; r++) for (int c = 3; c < 5; c++) x.set(r * side + c, 1);
        return x;
    }

    @Test
    void shiftsMoveTheImageAndRepeatForTheSameDraw() {
        Augmentation.Augmenter a = new Augmentation(2, 0, 0, 4).on(8, null, 1);
        Tensor x = square(8), again = square(8);
        a.apply(x, 1, 1, 0);
        a.apply(again, 1, 1, 0);
        double sum = 0;
        for (int i = 0; i < 64; i++) {
            sum += x.get(i);
            assertTrue(x.get(i) == 0 || x.get(i) == 1, "a whole-pixel shift copies pixels");
            assertEquals(x.get(i), again.get(i), 0, "the same (seed, epoch, batch) draws the same shift");
        }
        assertEquals(4, sum, 0, "a block two pixels from the border stays whole under shifts of up to 2");
        boolean differs = false;
        for (int batch = 1; batch < 20 && !differs; batch++) {
            Tensor y = square(8);
            a.apply(y, 1, 1, batch);
            for (int i = 0; i < 64; i++) differs |= y.get(i) != x.get(i);
        }
        assertTrue(differs, "other batches draw other shifts");
    }

    @Test
    void aVanishingElasticFieldIsTheIdentityAndScalingRoundTrips() {
        Tensor x = square(8);
        Standardization s = Standardization.fit(x);
        double[] mean = s.mean(), std = s.std();
        Tensor standardized = square(8);
        s.apply(standardized);
        new Augmentation(0, 0, 1e-9, 1).on(8, s, 3).apply(standardized, 1, 1, 1);
        for (int i = 0; i < 64; i++) assertEquals(x.get(i), standardized.get(i) * std[i] + mean[i], 1e-8, "pixel " + i);
        Tensor bent = square(8);
        new Augmentation(0, 0, 3, 1).on(8, null, 3).apply(bent, 1, 1, 1);
        double change = 0;
        for (int i = 0; i < 64; i++) change += Math.abs(bent.get(i) - square(8).get(i));
        assertNotEquals(0, change, "a real field moves pixels");
    }

    @Test
    void noiseHasTheAskedStandardDeviation() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 50, 64);
        new Augmentation(0, 0.5, 0, 4).on(8, null, 9).apply(x, 50, 2, 3);
        double sum = 0, squares = 0;
        for (int i = 0; i < x.size(); i++) {
            sum += x.get(i);
            squares += x.get(i) * x.get(i);
        }
        assertEquals(0, sum / x.size(), 0.05);
        assertEquals(0.5, Math.sqrt(squares / x.size()), 0.03);
    }

    @Test
    void mistakes(@TempDir Path tmp) {
        Cli notImages = Cli.run("train", "--data", "breast_cancer", "--augment", "shift=1", "--out", tmp.resolve("a").toString());
        assertEquals("ravine: --augment: breast_cancer is not image data (digits, fashion-mnist or a folder of IDX files)\n", notImages.err());
        Cli badKey = Cli.run("train", "--augment", "rotate=5", "--out", tmp.resolve("b").toString());
        assertTrue(badKey.err().startsWith("ravine: --augment rotate=5: unknown key 'rotate'"), badKey.err());
        Cli notPairs = Cli.run("train", "--augment", "shift", "--out", tmp.resolve("d").toString());
        assertEquals("ravine: --augment shift: 'shift' is not key=value\n", notPairs.err(), "the option as it was written");
        Cli trained = Cli.run("train", "--augment", "shift=1,noise=0.2,elastic=1,sigma=1", "--epochs", "2", "--out", tmp.resolve("c").toString());
        assertEquals(0, trained.exit(), trained::toString);
    }
}
