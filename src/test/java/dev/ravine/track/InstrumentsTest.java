package dev.ravine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.UserError;
import dev.ravine.autodiff.Network;
import dev.ravine.cli.Cli;
import dev.ravine.curvature.ModelOnData;
import dev.ravine.curvature.TopEigen;
import dev.ravine.data.Dataset;
import dev.ravine.nn.BatchNormMode;
import dev.ravine.report.MetricsTable;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The instruments against the analysis commands and against their definitions, computed here from scratch. */
class InstrumentsTest {
    @Test
    void trackedSharpnessAtTheSavedPointIsHessiansEigMax(@TempDir Path tmp) throws Exception {
        for (String dtype : new String[] {"float64", "float32"}) {
            Path run = tmp.resolve(dtype);
            Cli r = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:6:tanh", "--epochs", "4", "--dtype", dtype, "--l2", "0.01",
                    "--track", "sharpness:every=2", "--out", run.toString(), "--format", "json");
            assertEquals(0, r.exit(), r::toString);
            MetricsTable m = MetricsTable.read(run.resolve("metrics.csv"));
            assertTrue(Double.isNaN(m.column("sharpness")[0]) && Double.isFinite(m.column("sharpness")[1]), "measured every 2 epochs");
            assertEquals(2 / m.column("lr")[3], m.column("two_over_lr")[3], 1e-15);
            Cli h = Cli.run("hessian", run.toString(), "--method", "full", "--format", "json");
            assertEquals(0, h.exit(), h::toString);
            double eigMax = new ObjectMapper().readTree(h.out()).get("eig_max").asDouble();
            assertEquals(eigMax, m.column("sharpness")[3], 1e-6 * Math.max(1, eigMax), dtype + ": the same loss (penalty included), the same weights");
        }
    }

    /**
     * With {@code minibatch=true}, every instrument measures on each step's own passes, at the weights the step
     * starts from (and preconditioned_sharpness with the preconditioner the step divides by): with the batch all of the rows, their figures at step s + 1 are the probe's after
     * step s (with a penalty and without), and a float32 run measures the same figures to float32's accuracy. Unstandardized
     * pixels saturate a quarter to most of the tanh units.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0.01", "0"})
    void minibatchInstrumentsAreTheProbesOneStepLater(String l2, @TempDir Path tmp) throws Exception {
        Map<String, MetricsTable> tables = new java.util.HashMap<>();
        for (String kind : new String[] {"probe", "float64", "float32"}) {
            Path run = tmp.resolve(kind);
            // eigenvectors to 1e-11 make the overlap exact to ~1e-9 (float32 takes no less than 1e-6)
            String overlap = "subspace_overlap:steps=1,k=3,tolerance=" + (kind.equals("float32") ? "1e-6" : "1e-11");
            String track = kind.equals("probe")
                    ? "sharpness:steps=1,noise_scale:steps=1,batch=100000,layers:steps=1,preconditioned_sharpness:steps=1," + overlap
                    : "sharpness:steps=1,minibatch=true,noise_scale:steps=1,minibatch=true,layers:steps=1,minibatch=true,"
                            + "preconditioned_sharpness:steps=1,minibatch=true," + overlap + ",minibatch=true";
            Cli r = Cli.run("train", "--data", "digits", "--model", "mlp:8:tanh", "--epochs", "5", "--batch", "5000", "--l2", l2,
                    "--optimizer", "adam:lr=0.01", "--standardize", "off", "--dtype", kind.equals("float32") ? "float32" : "float64", "--track", track,
                    "--out", run.toString(),
                    "--format", "json");
            assertEquals(0, r.exit(), r::toString);
            MetricsTable t = MetricsTable.read(run.resolve(TrackLog.FILE));
            assertEquals(5, t.rows(), kind + ": one full batch a step, one step an epoch");
            assertEquals(200, t.column("two_over_lr")[4], 1e-12);
            tables.put(kind, t);
        }
        MetricsTable probe = tables.get("probe"), mini = tables.get("float64"), single = tables.get("float32");
        List<String> columns = List.of("sharpness", "noise_scale", "layer_0_grad_norm", "layer_1_grad_norm", "layer_0_update_ratio", "layer_1_update_ratio",
                "layer_0_saturated_share", "preconditioned_sharpness", "preconditioned_threshold", "subspace_overlap");
        for (String c : columns) {
            double[] p = probe.column(c), m = mini.column(c), f = single.column(c);
            int compared = 0;
            for (int s = 1; s < 5; s++) {
                if (Double.isNaN(p[s - 1])) continue; // the probe's first update ratio: no weights before it; the minibatch's first P
                assertEquals(p[s - 1], m[s], 1e-9 * Math.max(1e-3, Math.abs(p[s - 1])), c + " at step " + (s + 1) + ", where step " + s + " ended");
                compared++;
            }
            assertTrue(compared >= 3, c);
            int first = c.contains("update_ratio") || c.startsWith("preconditioned") ? 1 : 0;
            assertEquals(m[first], f[first], 1e-5 * Math.max(1e-3, Math.abs(m[first])), c + " in float32");
        }
        double[] sharpness = mini.column("sharpness");
        assertTrue(Math.abs(sharpness[4] - sharpness[0]) > 1e-3 * sharpness[0], "the weights moved: " + sharpness[0] + " -> " + sharpness[4]);
    }

    /**
     * On a quadratic the parabola through the step's start (value and slope) and end is the loss itself, so for gradient
     * descent alpha = lr g'Hg / g'g - 1 exactly: least squares on diabetes, full batch, checked at the first step
     * against the gradient and Hessian-vector product at the saved initial weights. Refused where the loss after the
     * step would be another function (dropout, batch norm), at epoch intervals and for full-batch methods.
     */
    @Test
    void alphaIsWhereTheStepLandsOnItsParabola(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("alpha");
        double lr = 0.3;
        Cli r = Cli.run("train", "--data", "diabetes", "--model", "mlp:10-1:identity", "--optimizer", "sgd:lr=" + lr, "--batch", "5000", "--val", "0",
                "--epochs", "3", "--dtype", "float64", "--track", "alpha:steps=1", "--out", run.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        double[] alpha = MetricsTable.read(run.resolve(TrackLog.FILE)).column("alpha");
        assertEquals(3, alpha.length);
        ModelOnData m = ModelOnData.ofRun(run, run.resolve("init.safetensors"), BatchNormMode.EVAL);
        double[] g = new double[m.parameters()], hg = new double[g.length];
        m.objective.valueAndGradient(m.weights, g);
        m.objective.hessianVector(m.weights, g, hg);
        double expected = lr * dev.ravine.tensor.VectorMath.dot(g, hg) / dev.ravine.tensor.VectorMath.dot(g, g) - 1;
        assertEquals(expected, alpha[0], 1e-9 * Math.abs(expected));
        assertTrue(alpha[0] > -1 && alpha[0] < 1, "a stable step lands inside the valley: " + alpha[0]);
        assertTrue(java.nio.file.Files.readString(run.resolve("report.html")).contains("Where each step lands"), "the report charts it");
        // q(t) = f0 + f0' t + c t^2 from (f0, f0', f1): at q's minimum 0, as high on the far side 1, a flat line -1
        assertEquals(0, MinibatchAlpha.alpha(1, -1, 0.5), 0);
        assertEquals(1, MinibatchAlpha.alpha(1, -1, 1), 0);
        assertEquals(-1, MinibatchAlpha.alpha(1, -1, 0), 0);
        for (String[] bad : new String[][] {{"alpha", "--track alpha: measures at step intervals: give steps=N"},
                {"alpha:steps=2,minibatch=true", "--track alpha:minibatch: unknown key for alpha (valid: every)"}}) {
            Cli e = Cli.run("train", "--data", "digits", "--epochs", "1", "--format", "json", "--track", bad[0]);
            assertEquals(2, e.exit(), bad[0]);
            assertEquals("ravine: " + bad[1], e.err().strip());
        }
        for (String option : new String[] {"--dropout", "--batchnorm"}) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", "digits", "--epochs", "1", "--track", "alpha:steps=2", option));
            if (option.equals("--dropout")) args.add("0.1");
            Cli e = Cli.run(args.toArray(String[]::new));
            assertEquals("ravine: --track alpha: the loss after the step on the step's rows needs the function the step took: dropout draws new masks "
                    + "and batch norm moves its running statistics", e.err().strip(), option);
        }
        Cli lbfgs = Cli.run("train", "--data", "digits", "--epochs", "1", "--optimizer", "lbfgs", "--track", "alpha:steps=2");
        assertTrue(lbfgs.exit() == 2 && lbfgs.err().contains("needs a minibatch optimizer"), lbfgs::toString);
    }

    /**
     * Cohen et al. (2021) on digits: full-batch gradient descent on MSE with a tanh MLP, 2/lr = 1.33 about twice the
     * sharpness at initialization (0.65). The sharpness climbs to 2/lr, then hovers there, within 10%, for the rest
     * of the run.
     */
    @Test
    void fullBatchGradientDescentTrainsAtTheEdgeOfStability(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("eos");
        Cli r = Cli.run("train", "--data", "digits", "--model", "mlp:32:tanh", "--loss", "mse", "--optimizer", "sgd:lr=1.5", "--batch", "5000",
                "--epochs", "1000", "--track", "sharpness:every=25", "--out", run.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        MetricsTable m = MetricsTable.read(run.resolve("metrics.csv"));
        double[] sharpness = m.column("sharpness");
        double limit = 2 / 1.5;
        assertTrue(sharpness[24] < 0.6 * limit, "it starts well below 2/lr: " + sharpness[24]);
        int reached = -1;
        for (int e = 24; e < sharpness.length; e += 25) {
            if (reached < 0 && sharpness[e] >= 0.9 * limit) reached = e;
            if (reached >= 0) assertEquals(limit, sharpness[e], 0.1 * limit, "epoch " + (e + 1) + ": hovering at 2/lr");
        }
        assertTrue(reached > 0 && reached < 700, "the sharpness reaches 2/lr (epoch " + (reached + 1) + ")");
    }

    /**
     * Against one-row passes, with and without batch norm (on its running statistics, per-row affine; measured row
     * by row), and with class weights, where row i's gradient counts B w_i / W times so that the rows' mean is the
     * batch's gradient.
     */
    @Test
    void noiseScaleIsTheTraceOfTheGradientCovarianceOverTheMeanGradientSquared(@TempDir Path tmp) throws Exception {
        noiseScale(tmp.resolve("plain"), "--seed", "0");
        noiseScale(tmp.resolve("bn"), "--batchnorm");
        noiseScale(tmp.resolve("weighted"), "--loss", "cross_entropy:weight=balanced");
        noiseScale(tmp.resolve("weighted-bn"), "--batchnorm", "--loss", "cross_entropy:weight=0.5|1|2|1|1|3|1|1|1|0.25");
    }

    private static void noiseScale(Path run, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", "digits", "--model", "mlp:8:tanh", "--epochs", "2", "--dtype",
                "float64", "--track", "noise_scale:batch=40", "--out", run.toString(), "--format", "json"));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        double tracked = MetricsTable.read(run.resolve("metrics.csv")).column("noise_scale")[1];
        // per-example gradients of the saved model on the first 40 training rows, each from a one-row network pass
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        Network net = m.model.network;
        Dataset rows = m.data;
        int b = 40, p = net.parameterCount();
        double[][] g = new double[b][];
        Tensor target = Tensor.zeros(DType.FLOAT64, 1, 1);
        double total = 0; // the 40 rows' summed class weight
        for (int i = 0; i < b; i++) {
            target.set(0, rows.y().get(i));
            total += m.loss.normalizer(target);
        }
        for (int i = 0; i < b; i++) {
            Dataset.copyRow(rows.x(), i, net.input(1), 0);
            target.set(0, rows.y().get(i));
            net.lossAndGradient(target, m.loss, false);
            g[i] = net.gradients().toDoubleArray();
            double scale = b * m.loss.normalizer(target) / total;
            for (int j = 0; j < p; j++) g[i][j] *= scale;
        }
        double[] mean = new double[p];
        for (double[] gi : g) for (int j = 0; j < p; j++) mean[j] += gi[j] / b;
        double covariance = 0, squared = 0;
        for (double[] gi : g) for (int j = 0; j < p; j++) covariance += Math.pow(gi[j] - mean[j], 2) / (b - 1);
        for (double v : mean) squared += v * v;
        assertEquals(covariance / squared, tracked, 1e-9 * (covariance / squared));
    }

    /** The overlap against the dense Hessian's own eigenvectors, on a model small enough to decompose. */
    @Test
    void subspaceOverlapIsTheGradientsShareInTheTopEigenvectors(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--model", "mlp:4:tanh", "--epochs", "3", "--dtype", "float64", "--out",
                run.toString()).exit());
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        Probe probe = new Probe(m.model, m.loss, dev.ravine.train.Penalty.NONE, m.data, m.data.rows());
        probe.sync(m.model.network);
        int n = m.parameters(), k = 2;
        double[] w = probe.objective().parameters(), g = new double[n];
        probe.objective().valueAndGradient(w, g);
        org.ejml.data.DMatrixRMaj h = dense(probe);
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, true, true);
        assertTrue(eig.decompose(h));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).getReal(), eig.getEigenvalue(a).getReal()));
        double inside = 0, all = 0;
        for (double v : g) all += v * v;
        for (int t = 0; t < k; t++) {
            var v = eig.getEigenVector(order[t]);
            double c = 0, norm = 0;
            for (int i = 0; i < n; i++) {
                c += v.get(i) * g[i];
                norm += v.get(i) * v.get(i);
            }
            inside += c * c / norm;
        }
        var hessian = dev.ravine.curvature.LinearOperator.hessian(probe.objective(), w);
        var follower = new dev.ravine.curvature.Spectrum.Follower(k, 1e-6);
        var top = follower.next(hessian);
        assertEquals(inside / all, SubspaceOverlap.overlap(g, top), 1e-6);
        assertEquals(dev.ravine.curvature.Spectrum.top(hessian, k, 1e-6, null, 0).products(), top.products(), "the first from the same +-1 start");
        // the next measurement: from the sum of the found vectors, in the first one's basis vectors
        var again = follower.next(hessian);
        assertTrue(again.vectors()[0] == top.vectors()[0] && again.vectors()[k - 1] == top.vectors()[k - 1], "written into the last measurement's arrays");
        assertEquals(inside / all, SubspaceOverlap.overlap(g, again), 1e-6);
        assertTrue(again.products() <= top.products(), again.products() + " products warm, " + top.products() + " cold");
        for (int t = 0; t < k; t++) assertEquals(top.values()[t], again.values()[t], 1e-6 * Math.abs(top.values()[0]), "eigenvalue " + t);
    }

    /** lambda_max(P^-1 H) against a dense eigendecomposition of P^-1/2 H P^-1/2, and Adam's P after one step. */
    @Test
    void preconditionedSharpnessIsTheTopEigenvalueOfPInverseH(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--model", "mlp:3:tanh", "--epochs", "2", "--dtype", "float64", "--out",
                run.toString()).exit());
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        Probe probe = new Probe(m.model, m.loss, dev.ravine.train.Penalty.NONE, m.data, m.data.rows());
        int n = m.parameters();
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = 0.5 + (i % 7) * 0.3;
        dev.ravine.optim.Preconditioned fixed = new dev.ravine.optim.Preconditioned() {
            public double[] preconditioner(double[] into) {
                return p.clone();
            }

            public double stabilityThreshold(double lr) {
                return 38 / lr;
            }
        };
        var metrics = new dev.ravine.train.EpochMetrics(1, 0, null, null, null, null, null, null, null, 0.01, 1, 1);
        new PreconditionedSharpness(m.model.network, probe, Track.parse("preconditioned_sharpness").get(0), new TrackLog(), fixed,
                new TopEigen.Follower(1e-8)).epoch(metrics);
        org.ejml.data.DMatrixRMaj a = dense(probe);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a.set(i, j, a.get(i, j) / Math.sqrt(p[i] * p[j]));
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, false, true);
        assertTrue(eig.decompose(a));
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) top = Math.max(top, eig.getEigenvalue(i).getReal());
        assertEquals(top, (double) metrics.diagnostics().get("preconditioned_sharpness"), 1e-6 * Math.max(1, top));
        assertEquals(3800, (double) metrics.diagnostics().get("preconditioned_threshold"), 1e-9);

        // Adam after one step: v = (1 - beta2) g^2, so P = (1 - beta1) (|g| + eps)
        dev.ravine.optim.Optimizer adam = dev.ravine.optim.Optimizers.parse("adam:lr=0.1,eps=1e-8");
        Tensor params = Tensor.of(new double[] {1, 2}, 1, 2), grads = Tensor.of(new double[] {0.5, -3}, 1, 2);
        adam.step(params, grads, 0.1);
        double[] pa = ((dev.ravine.optim.Preconditioned) adam).preconditioner();
        assertEquals(0.1 * (0.5 + 1e-8), pa[0], 1e-15);
        assertEquals(0.1 * (3 + 1e-8), pa[1], 1e-14);
        double[] buffer = new double[2];
        assertTrue(buffer == ((dev.ravine.optim.Preconditioned) adam).preconditioner(buffer), "written into the instrument's buffer");
        assertEquals(pa[1], buffer[1]);
        assertEquals(38 / 0.1, ((dev.ravine.optim.Preconditioned) adam).stabilityThreshold(0.1), 1e-9);
    }

    /** Per-layer figures against the run's saved weights: the gradient's block norm and the move since the last epoch. */
    @Test
    void layerFiguresMatchTheSavedWeights(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--data", "digits", "--model", "mlp:8:relu", "--epochs", "2", "--dtype", "float64", "--track", "layers",
                "--out", run.toString()).exit());
        MetricsTable metrics = MetricsTable.read(run.resolve("metrics.csv"));
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        double[] g = new double[m.parameters()];
        m.lossAndGradient(g);
        int[] block = m.linearBlock(1);
        double gg = 0;
        for (int i = block[0]; i < block[0] + block[1]; i++) gg += g[i] * g[i];
        assertEquals(Math.sqrt(gg), metrics.column("layer_1_grad_norm")[1], 1e-9);
        var trajectory = dev.ravine.tensor.Safetensors.read(run.resolve("trajectory.safetensors"));
        double[] w1 = trajectory.get("epoch.1").values(), w2 = trajectory.get("epoch.2").values();
        int[] first = m.linearBlock(0);
        double dd = 0, ww = 0;
        for (int i = first[0]; i < first[0] + first[1]; i++) {
            dd += (w2[i] - w1[i]) * (w2[i] - w1[i]);
            ww += w2[i] * w2[i];
        }
        assertEquals(Math.sqrt(dd / ww), metrics.column("layer_0_update_ratio")[1], 1e-12);
        assertTrue(metrics.has("layer_0_dead_share"));
    }

    /** The probe's Hessian, column by column from Hessian-vector products. */
    private static org.ejml.data.DMatrixRMaj dense(Probe probe) {
        double[] w = probe.objective().parameters();
        int n = w.length;
        double[] e = new double[n], col = new double[n];
        org.ejml.data.DMatrixRMaj h = new org.ejml.data.DMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            probe.objective().hessianVector(w, e, col);
            for (int i = 0; i < n; i++) h.set(i, j, col[i]);
        }
        return h;
    }

    /** A run refused for an instrument it cannot take shows one line and leaves nothing, even where it would checkpoint. */
    @Test
    void anInstrumentRefusedLeavesNoRunFolder(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "digits", "--epochs", "2", "--checkpoint-every", "1", "--track", "preconditioned_sharpness", "--optimizer", "sgd",
                "--out", run.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ravine: --track preconditioned_sharpness: needs an adaptive optimizer with a diagonal preconditioner (adam, adamw, rmsprop)",
                r.err().strip());
        assertTrue(!java.nio.file.Files.exists(run), "no run folder");
    }

    @Test
    void specsParseAndRefuseCleanly() {
        List<Track> t = Track.parse("sharpness:every=4,rows=512,noise_scale:batch=32");
        assertEquals(List.of(new Track("sharpness", 4, 0, Map.of("rows", "512")), new Track("noise_scale", 1, 0, Map.of("batch", "32"))), t);
        assertEquals("sharpness:every=4,rows=512", t.get(0).text());
        List<Track> s = Track.parse("sharpness:steps=64,rows=512,layers");
        assertEquals(List.of(new Track("sharpness", 1, 64, Map.of("rows", "512")), new Track("layers", 1, 0, Map.of())), s);
        assertEquals("sharpness:steps=64,rows=512", s.get(0).text());
        assertEquals(s, Track.parse(s.get(0).text() + "," + s.get(1).text()), "as run.json holds it");
        for (String bad : new String[] {"sharpnes", "sharpness:every=0", "sharpness:batch=3", "every=2", "noise_scale:every=x", "", "sharpness:steps=0",
                "sharpness:every=2,steps=4", "sharpness:steps=4,every=2", "sharpness:steps=1.5", "sharpness:steps=2,layers,sharpness:steps=3"})
            assertThrows(UserError.class, () -> Track.parse(bad), bad);
        for (String[] bad : new String[][] {{"sharpness:minibatch=true", "--track sharpness:minibatch=true: measures at step intervals: give steps=N"},
                {"sharpness:minibatch=yes,steps=2", "--track sharpness:minibatch=yes: expected true or false"},
                {"sharpness:minibatch=true,steps=2,rows=100", "--track sharpness:minibatch=true,rows=100: measures on each step's minibatch; rows= sizes the fixed batch"},
                {"noise_scale:minibatch=true,steps=2,batch=16", "--track noise_scale:minibatch=true,batch=16: measures on each step's minibatch; batch= sizes the fixed batch"},
                {"layers:minibatch=true,every=2", "--track layers:minibatch=true: measures at step intervals: give steps=N"},
                {"sharpness:steps=2,layers,sharpness:steps=3", "--track sharpness:steps=2,layers,sharpness:steps=3: sharpness is named twice; its columns can hold one measurement"},
                {"sharpness:minibatch=true,steps=2,tolerance=1e-7", "--track sharpness:minibatch=true,tolerance=1e-7: float32 products are exact to ~1e-7: expected 1e-6 or more"}}) {
            Cli r = Cli.run("train", "--data", "digits", "--epochs", "1", "--format", "json", "--track", bad[0]);
            assertEquals(2, r.exit(), bad[0]);
            assertEquals("ravine: " + bad[1], r.err().strip());
        }
        Cli lbfgs = Cli.run("train", "--data", "digits", "--epochs", "1", "--optimizer", "lbfgs", "--track", "sharpness:minibatch=true,steps=2");
        assertTrue(lbfgs.exit() == 2 && lbfgs.err().contains("needs a minibatch optimizer"), lbfgs::toString);
        Cli bn = Cli.run("train", "--data", "digits", "--epochs", "1", "--batchnorm", "--track", "sharpness:minibatch=true,steps=2");
        assertTrue(bn.exit() == 2 && bn.err().contains("cannot reuse batch norm's training passes"), bn::toString);
        Cli bnNoise = Cli.run("train", "--data", "digits", "--epochs", "1", "--batchnorm", "--format", "json", "--track", "noise_scale:minibatch=true,steps=2");
        assertEquals("ravine: --track noise_scale:minibatch=true: batch norm couples the minibatch's rows, which leaves no per-example gradients; "
                + "track noise_scale without minibatch=true", bnNoise.err().strip());
        Cli r = Cli.run("train", "--track", "curvature", "--epochs", "1");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("ravine: --track curvature: unknown instrument (valid: alpha, layers, noise_scale, preconditioned_sharpness, sharpness, subspace_overlap)"), r.err());
    }

    /**
     * Instruments at step intervals: a row of track.csv after every N-th optimizer step (numbered over the run), each
     * epoch's row of metrics.csv holding the epoch's last measurement, and a resumed run measuring the steps after its
     * checkpoint again, to the figures of an uninterrupted run.
     */
    @Test
    void instrumentsMeasureEveryNStepsIntoTrackCsv(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), cut = tmp.resolve("cut");
        for (Path run : new Path[] {whole, cut}) {
            Cli r = Cli.run("train", "--data", "digits", "--model", "mlp:8:tanh", "--epochs", "3", "--batch", "200", "--dtype", "float64",
                    "--track", "noise_scale:steps=4,batch=40,sharpness:steps=6,rows=300", "--checkpoint-every", "1", "--out", run.toString(),
                    "--format", "json");
            assertEquals(0, r.exit(), r::toString);
        }
        int trainRows = new ObjectMapper().readTree(whole.resolve("run.json").toFile()).get("data").get("train_rows").asInt();
        int perEpoch = (trainRows + 199) / 200;
        MetricsTable t = MetricsTable.read(whole.resolve(TrackLog.FILE)), m = MetricsTable.read(whole.resolve("metrics.csv"));
        int expected = 0;
        for (int s = 1; s <= 3 * perEpoch; s++) if (s % 4 == 0 || s % 6 == 0) expected++;
        assertEquals(expected, t.rows(), "one row per step at which either measured");
        double[] step = t.column("step"), epoch = t.column("epoch"), noise = t.column("noise_scale"), sharp = t.column("sharpness");
        double[] lastNoise = new double[4];
        for (int i = 0; i < t.rows(); i++) {
            long s = (long) step[i];
            assertEquals((s - 1) / perEpoch + 1, (long) epoch[i], "step " + s + "'s epoch");
            assertEquals(s % 4 == 0, Double.isFinite(noise[i]), "noise_scale at step " + s);
            assertEquals(s % 6 == 0, Double.isFinite(sharp[i]), "sharpness at step " + s);
            if (s % 4 == 0) lastNoise[(int) epoch[i]] = noise[i];
        }
        for (int e = 1; e <= 3; e++) assertEquals(lastNoise[e], m.column("noise_scale")[e - 1], 0, "epoch " + e + "'s last measurement");
        // as if killed during epoch 3: its steps' rows are measured again, from the epoch-2 checkpoint
        java.nio.file.Files.delete(cut.resolve("checkpoints").resolve("epoch-000003.safetensors"));
        Cli r = Cli.run("train", "--resume", cut.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        MetricsTable c = MetricsTable.read(cut.resolve(TrackLog.FILE));
        assertEquals(t.rows(), c.rows());
        assertTrue(java.util.Arrays.equals(step, c.column("step")) && java.util.Arrays.equals(noise, c.column("noise_scale")), "the same rows and noise scales");
        for (int i = 0; i < t.rows(); i++)
            if (Double.isFinite(sharp[i])) assertEquals(sharp[i], c.column("sharpness")[i], 1e-7 * Math.abs(sharp[i]), "sharpness at step " + step[i]);
    }
}
