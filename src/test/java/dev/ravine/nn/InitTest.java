package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ravine.tensor.DType;
import org.junit.jupiter.api.Test;

/** Initializations by their definitions: orthogonal weight matrices, wide and tall, and zero biases. */
class InitTest {
    @Test
    void orthogonalWeightsHaveOrthonormalRowsOrColumns() {
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:8-6-6-9-3:tanh"), 8, 3, DType.FLOAT64, 4);
        Init.ORTHOGONAL.apply(mlp, 7);
        int checked = 0;
        for (Mlp.NamedParameter p : mlp.namedParameters()) {
            if (p.name().endsWith(".bias")) {
                for (int i = 0; i < p.values().size(); i++) assertEquals(0, p.values().get(i), 0, p.name());
                continue;
            }
            int rows = (int) p.shape()[0], cols = (int) p.shape()[1];
            boolean wide = rows <= cols; // nn.Linear's [out, in]: orthonormal rows when out <= in, else columns
            int k = wide ? rows : cols, len = wide ? cols : rows;
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++) {
                    double dot = 0;
                    for (int i = 0; i < len; i++)
                        dot += (wide ? p.values().get(a * cols + i) * p.values().get(b * cols + i)
                                : p.values().get(i * cols + a) * p.values().get(i * cols + b));
                    assertEquals(a == b ? 1 : 0, dot, 1e-12, p.name() + " [" + rows + "x" + cols + "] " + a + "," + b);
                }
            checked++;
        }
        assertEquals(4, checked, "every linear layer: wide 6x8, square 6x6, tall 9x6, wide 3x9");
        Mlp other = new Mlp(MlpSpec.parse("mlp:8-6-6-9-3:tanh"), 8, 3, DType.FLOAT64, 4);
        Init.ORTHOGONAL.apply(other, 8);
        assertNotEquals(mlp.namedParameters().get(0).values().get(0), other.namedParameters().get(0).values().get(0), "seeded draws");
        assertEquals(Init.ORTHOGONAL, Init.parse("orthogonal"));
    }
}
