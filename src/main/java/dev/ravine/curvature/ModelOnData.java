package dev.ravine.curvature;

import dev.ravine.UserError;
import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.nn.BatchNormMode;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.Penalty;
import dev.ravine.train.SavedRun;
import dev.ravine.train.TrainingRun;
import java.nio.file.Path;

/**
 * A model at given weights with the data whose mean loss it is analysed on, always in float64: what the
 * curvature commands measure. The loss's Hessian and Gauss-Newton products come from the same autodiff that
 * trains it.
 */
public final class ModelOnData {
    public final Mlp model;
    public final Dataset data;
    public final Loss loss;
    public final FullBatchObjective objective;
    /** The weights analysed, as one vector. */
    public final double[] weights;
    /** With batch norm, the statistics it normalizes with; {@link BatchNormMode#EVAL} for a model without. */
    public final BatchNormMode bnMode;

    private ModelOnData(Mlp model, Dataset data, Loss loss, Penalty penalty, BatchNormMode bnMode) {
        this.model = model;
        this.data = data;
        this.loss = loss;
        this.bnMode = model.batchNorm ? bnMode : BatchNormMode.EVAL;
        model.batchNormWithBatchStatistics(this.bnMode == BatchNormMode.TRAIN);
        this.objective = new FullBatchObjective(model.network, loss, data, penalty.active() ? penalty.on(model.network) : null, false);
        this.weights = objective.parameters();
    }

    /**
     * Rows the network takes at once: all of them when batch norm normalizes with the rows' own statistics, which
     * are those of every row the loss is computed on; otherwise chunks that bound the buffers.
     */
    private static int capacity(int rows, boolean batchNorm, BatchNormMode mode) {
        return batchNorm && mode == BatchNormMode.TRAIN ? rows : Math.min(rows, 2048);
    }

    /**
     * {@code --weights FILE --model SPEC --data FILE}: the data as given, standardized with its own statistics when
     * asked. The file says whether the model has batch norm ({@code N.running_mean} tensors, as PyTorch saves them).
     */
    public static ModelOnData of(Path weights, String spec, String data, String target, String task, boolean standardize, BatchNormMode bnMode) {
        Task t;
        try {
            t = Task.parse(task);
        } catch (IllegalArgumentException e) {
            throw new UserError("--task " + task + ": expected auto, classification or regression");
        }
        Dataset d = Datasets.load(data, target, t, DType.FLOAT64).data();
        if (standardize) Standardization.fit(d.x()).apply(d.x());
        var stored = Safetensors.read(weights);
        boolean batchNorm = Mlp.holdsBatchNorm(stored);
        Mlp mlp = new Mlp(MlpSpec.parse(spec), d.features(), d.outputs(), DType.FLOAT64, capacity(d.rows(), batchNorm, bnMode), null, batchNorm, false);
        mlp.load(stored, weights);
        return new ModelOnData(mlp, d, TrainingRun.lossFor(d.task()), Penalty.NONE, bnMode);
    }

    /**
     * A run folder: its trained weights (or {@code weightsFile} instead) on its own training rows and preprocessing,
     * and its training objective: the L1/L2 penalty it trained with is part of the loss (L2 adds l2 to the
     * Hessian's diagonal on the weights).
     */
    public static ModelOnData ofRun(Path runDir, Path weightsFile, BatchNormMode bnMode) {
        SavedRun run = SavedRun.load(runDir);
        Dataset d = run.trainingRows(DType.FLOAT64);
        Mlp mlp = new Mlp(run.model.spec, d.features(), d.outputs(), DType.FLOAT64, capacity(d.rows(), run.batchNorm, bnMode), run.dropout,
                run.batchNorm, false);
        Path w = weightsFile != null ? weightsFile : runDir.resolve(dev.ravine.train.RunFolder.MODEL);
        mlp.load(Safetensors.read(w), w);
        return new ModelOnData(mlp, d, run.loss, run.penalty, bnMode);
    }

    /**
     * Another weights file for the same model, as a vector. The model's own weights are left as they were, and so
     * are its batch-norm statistics: a path between two models in evaluation mode keeps the first one's.
     */
    public double[] read(Path file) {
        Tensor statistics = Tensor.zeros(DType.FLOAT64, 1, model.network.buffers().size());
        model.network.buffers().copyTo(statistics);
        model.load(Safetensors.read(file), file);
        double[] other = objective.parameters();
        objective.load(weights);
        statistics.copyTo(model.network.buffers());
        return other;
    }

    /** Loss and accuracy (or RMSE) over all rows at the given weights; the model's own weights are restored after. */
    public dev.ravine.train.Evaluation evaluateAt(double[] w) {
        objective.load(w);
        try {
            return dev.ravine.train.Evaluation.of(model.network, loss, data);
        } finally {
            objective.load(weights);
        }
    }

    public int parameters() {
        return weights.length;
    }

    /** The mean loss at the weights; its gradient goes into {@code gradient}. */
    public double lossAndGradient(double[] gradient) {
        return objective.valueAndGradient(weights, gradient);
    }

    /** v -&gt; H v, the exact Hessian of the mean loss at the weights. */
    public LinearOperator hessian() {
        return LinearOperator.hessian(objective, weights);
    }

    /** Where Linear layer {@code k}'s parameters (weight, then bias) sit in the flat vector: {start, length}. */
    public int[] linearBlock(int k) {
        var layers = model.network.layers();
        for (int l = 0, seen = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof dev.ravine.nn.Linear)) continue;
            if (seen++ == k) return new int[] {model.network.parameterOffset(l), model.network.parameterOffset(l + 1) - model.network.parameterOffset(l)};
        }
        throw new UserError("--layer " + k + ": the model has " + (model.widths.length - 1) + " linear layers (0 to " + (model.widths.length - 2) + ")");
    }

    /** The block of an operator on one stretch of the parameters: v is extended by zeros, the product cut back. */
    public static LinearOperator block(LinearOperator full, int start, int length) {
        return new LinearOperator() {
            final double[] in = new double[full.dimension()], out = new double[full.dimension()];

            @Override
            public int dimension() {
                return length;
            }

            @Override
            public double epsilon() {
                return full.epsilon();
            }

            @Override
            public void apply(double[] v, double[] result) {
                java.util.Arrays.fill(in, 0);
                System.arraycopy(v, 0, in, start, length);
                full.apply(in, out);
                System.arraycopy(out, start, result, 0, length);
            }
        };
    }

    /** The loss at other weights. */
    public double lossAt(double[] w) {
        return objective.valueAndGradient(w, new double[w.length]);
    }

    /** v -&gt; G v, the Gauss-Newton (Fisher) matrix at the weights. */
    public LinearOperator gaussNewton() {
        return LinearOperator.of(weights.length, (v, out) -> objective.fisherVector(weights, v, out, false));
    }
}
