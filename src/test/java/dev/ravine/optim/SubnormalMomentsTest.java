package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dead unit's gradient is exactly zero, so the state of Adam, SGD and RMSProp decays geometrically: it
 * must reach 0 rather than linger among the subnormal numbers (where x86 arithmetic is ~100x slower), in every
 * dtype and kernel, without moving any parameter differently while they are normal.
 */
class SubnormalMomentsTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam:lr=0.001,betas=0.5|0.6", "sgd:lr=0.001,momentum=0.5", "rmsprop:lr=0.001,alpha=0.5,momentum=0.5,centered=true"})
    void decayedStateIsFlushedToZero(String spec) {
        for (boolean vector : new boolean[] {true, false})
            for (DType dtype : DType.values()) {
                Kernels.useVector(vector);
                int n = 37; // a vector body and a scalar tail
                Tensor p = Tensor.zeros(dtype, 1, n), g = Tensor.zeros(dtype, 1, n);
                for (int i = 0; i < n; i++) {
                    p.set(i, 0.5);
                    g.set(i, 1e-3 * (i + 1));
                }
                Optimizer optimizer = Optimizers.parse(spec);
                optimizer.step(p, g, 0.001);
                g.fill(0); // the unit dies
                double smallest = dtype == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                int steps = dtype == DType.FLOAT32 ? 200 : 1200; // 0.5^steps * 1e-3 is far below the smallest normal
                double[] before = null;
                for (int s = 0; s < steps; s++) {
                    if (s == 5) before = p.toDoubleArray();
                    optimizer.step(p, g, 0.001);
                    for (Tensor t : optimizer.state().values())
                        for (int i = 0; i < t.size(); i++) {
                            double x = Math.abs(t.get(i));
                            assertTrue(x == 0 || x >= smallest, spec + " " + dtype + " vector=" + vector + ": subnormal state " + x + " at step " + s);
                        }
                }
                for (var e : optimizer.state().entrySet())
                    if (!e.getKey().equals("exp_avg_sq")) // decays more slowly (beta2 = 0.6): flushed or normal, as checked above
                        for (int i = 0; i < n; i++) assertEquals(0.0, e.getValue().get(i), spec + " " + dtype + " vector=" + vector + ": " + e.getKey() + " " + i);
                // by step 5 the state is tiny but normal: every later step still moved p
                assertTrue(p.get(0) < before[0], dtype + " vector=" + vector);
            }
    }
}
