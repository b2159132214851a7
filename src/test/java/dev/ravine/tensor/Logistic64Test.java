package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.nn.Activation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * float64 tanh's, sigmoid's and SiLU's own kernels: within an ulp of the exact value (mpmath's, {@code
 * src/test/resources/golden/generate.py activations64}) over their whole range, the subnormal tail included; the same
 * infinities, NaNs and signed zeros as Math's; their vectors the same bits as their scalar twins at every length around
 * the vectors. (What all the float64 kernels share: {@link Float64KernelTest}.)
 */
class Logistic64Test {
    static double scalar(Float64Kernel f, double x) {
        return switch (f) {
            case TANH -> Logistic64.tanh(x);
            case SIGMOID -> Logistic64.sigmoid(x);
            case SILU -> Logistic64.silu(x);
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /** f over n entries by the vector loop wherever it can go (four double lanes or more), however far the probes have got. */
    static void viaVectors(Float64Kernel f, double[] x, int xo, double[] y, int yo, int n) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length(), i = lanes >= 4 ? Logistic64.vectors(f, x, xo, y, yo, n - n % lanes) : 0;
        for (; i < n; i++) y[yo + i] = scalar(f, x[xo + i]);
    }

    static Activation activation(Float64Kernel f) {
        return switch (f) {
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case SILU -> Activation.SILU;
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /**
     * The distance from the exact value in ulps of the exact value rounded to double, over the golden inputs: 0.53 at
     * most where the value is normal (SiLU 0.572 at x = -40.5), and 99% correctly rounded (Math's tanh
     * gets all of them, its exp in 1 / (1 + e) 73% and 1.64 ulps at worst, and x times that sigmoid 59%, losing SiLU's
     * tail where the sigmoid is subnormal).
     */
    @ParameterizedTest
    @EnumSource(value = Float64Kernel.class, names = {"TANH", "SIGMOID", "SILU"})
    void withinAnUlpOfTheExactValue(Float64Kernel f) throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/activations64.json").toFile());
        int n = golden.get("x").size();
        double[] x = new double[n], vectors = new double[n];
        for (int i = 0; i < n; i++) x[i] = golden.get("x").get(i).asDouble();
        viaVectors(f, x, 0, vectors, 0, n);
        double worst = 0;
        int rounded = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal exact = new BigDecimal(golden.get(f.name().toLowerCase()).get(i).asText());
            double ours = scalar(f, x[i]), nearest = exact.doubleValue();
            assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(vectors[i]), f + ": the vectors at x=" + x[i]);
            double ulps = new BigDecimal(ours).subtract(exact).abs().doubleValue() / Math.ulp(nearest);
            worst = Math.max(worst, ulps);
            if (ours == nearest) rounded++;
            // within 0.58 ulps where the value is normal; where it is subnormal, the one rounding there (of x e's two parts
            // for SiLU) may take a whole ulp of 2^-1074
            double bound = Math.abs(nearest) < Double.MIN_NORMAL ? 1 : 0.58;
            assertTrue(ulps <= bound, f + "(" + x[i] + ") = " + ours + ", exactly " + exact + ": " + ulps + " ulps");
        }
        assertTrue(worst > 0.3, "the golden inputs reach rounding's own half ulp: " + worst);
        assertTrue(rounded > 0.95 * n, f + ": correctly rounded at " + rounded + " of " + n);
    }

    static double[] inputs(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = switch (i % 5) {
                case 0 -> (rng.nextDouble() * 2 - 1) * 0.7; // around tanh's polynomial's end, 0.3
                case 1 -> (rng.nextDouble() * 2 - 1) * 40;
                case 2 -> (rng.nextDouble() * 2 - 1) * 1e-3;
                case 3 -> -(700 + rng.nextDouble() * 50); // the sigmoid's and SiLU's tails into the subnormals and to 0
                default -> Double.longBitsToDouble(rng.nextLong()); // every exponent, infinities and NaNs among them
            };
        double[] special = {0, -0.0, 0.3, -0.3, Math.nextDown(0.3), 19.1, -19.1, 745.2, -745.2, -746, -746.5, 1e300, -1e300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE};
        System.arraycopy(special, 0, x, 0, Math.min(n, special.length));
        return x;
    }

    /**
     * Against Math's functions (the plain-Java kernels' {@link Squash}): within three ulps, the same infinities, NaNs and
     * signed zeros; the vector loop and apply the same bits as the scalar twins at every length around the vectors.
     */
    @ParameterizedTest
    @EnumSource(value = Float64Kernel.class, names = {"TANH", "SIGMOID", "SILU"})
    void mathsNeighboursAndTheVectorsAreTheScalarTwin(Float64Kernel f) {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 << 18}) {
            double[] x = inputs(n, rng), vectors = new double[n + 2], applied = new double[n + 2];
            viaVectors(f, x, 0, vectors, 1, n);
            Logistic64.apply(f, x, 0, applied, 1, n);
            for (int i = 0; i < n; i++) {
                double math = activation(f).apply(x[i]), ours = vectors[i + 1];
                // doubleToLongBits: every NaN as one, since the hardware picks a NaN's sign by the order of an operation's operands
                assertEquals(Double.doubleToLongBits(scalar(f, x[i])), Double.doubleToLongBits(ours), f + " n=" + n + " the scalar twin at x=" + x[i]);
                assertEquals(Double.doubleToLongBits(ours), Double.doubleToLongBits(applied[i + 1]), f + " n=" + n + " apply at x=" + x[i]);
                if (Double.isNaN(math)) {
                    assertTrue(Double.isNaN(ours), "NaN at x=" + x[i]);
                    continue;
                }
                // Math's sigmoid is up to 1.64 ulps off, and x times it loses SiLU's tail where it is subnormal (below -708.4)
                if (f != Float64Kernel.SILU || x[i] > -700) assertEquals(math, ours, 3 * Math.ulp(math), f + " n=" + n + " x=" + x[i]);
                assertEquals(Math.copySign(1, math), Math.copySign(1, ours), f + " the sign at x=" + x[i]);
            }
            for (double[] y : new double[][] {vectors, applied}) {
                assertEquals(0, y[0]);
                assertEquals(0, y[n + 1], "nothing written past the end");
            }
        }
    }
}
