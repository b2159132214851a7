package dev.ravine.report;

import java.util.ArrayList;
import java.util.List;

/** The charts a run's metrics can draw, each with its axes and a caption saying what to look for. */
public final class RunCharts {
    private RunCharts() {
    }

    public static List<LineChart> of(MetricsTable m) {
        return of(m, null);
    }

    /**
     * The charts of {@code m} (metrics.csv) and, where {@code steps} (track.csv, or null) holds an instrument's
     * column, that instrument's chart against the optimizer step instead of the epoch.
     */
    public static List<LineChart> of(MetricsTable m, MetricsTable steps) {
        double[] epoch = m.column("epoch");
        List<LineChart> out = new ArrayList<>();
        LineChart loss = new LineChart("Loss", "epoch", "mean loss", "Training against held-out loss: a widening gap is overfitting, "
                + "and a validation loss that turns upward while the training loss falls is where early stopping stops.");
        if (spansDecades(m, "train_loss", "val_loss", "test_loss")) loss.logY();
        loss.add("train", epoch, m.column("train_loss"));
        loss.add("validation", epoch, m.column("val_loss"));
        loss.add("test", epoch, m.column("test_loss"));
        if (m.has("penalty")) loss.add("penalty (L1/L2)", epoch, m.column("penalty"));
        out.add(loss);
        LineChart accuracy = new LineChart("Accuracy", "epoch", "share of rows classified correctly",
                "The 0-1 error the loss is a surrogate for, on the training rows (evaluation mode) and held out: the loss can still fall "
                        + "where the accuracy has stopped moving.");
        accuracy.add("train", epoch, m.column("train_accuracy"));
        accuracy.add("validation", epoch, m.column("val_accuracy"));
        accuracy.add("test", epoch, m.column("test_accuracy"));
        if (!accuracy.isEmpty()) out.add(accuracy);
        LineChart rmse = new LineChart("Validation RMSE", "epoch", "root mean squared error (target units)",
                "The regression error in the target's own units: the figure to compare with the target's spread.");
        if (rmse.add("validation", epoch, m.column("val_rmse"))) out.add(rmse);
        LineChart lr = new LineChart("Learning rate", "epoch", "learning rate", "The rate each epoch ended at: the schedule's shape "
                + "(a flat line without one). Compare with 2/lambda_max, the largest stable step of plain gradient descent.");
        if (spansDecades(m, "lr")) lr.logY();
        if (lr.add("lr", epoch, m.column("lr"))) out.add(lr);
        List<String> norms = m.columnsStartingWith("grad_norm_");
        if (!norms.isEmpty()) {
            LineChart g = new LineChart("Gradient norm per layer", "epoch", "mean ||dL/dW|| over the epoch's steps (log)",
                    "Vanishing gradients show as the first layers' norms orders of magnitude below the last one's; exploding ones as "
                            + "norms that grow epoch after epoch.").logY();
            for (String c : norms) g.add("linear layer " + c.substring("grad_norm_".length()), epoch, m.column(c));
            out.add(g);
        }
        List<String> dead = m.columnsStartingWith("dead_units_");
        if (!dead.isEmpty()) {
            LineChart d = new LineChart("Dead ReLU units", "epoch", "units inactive on every training row",
                    "A unit that no row activates gets no gradient and never comes back: a count that only grows is lost capacity.");
            for (String c : dead) d.add("hidden layer " + c.substring("dead_units_".length()), epoch, m.column(c));
            out.add(d);
        }
        if (m.has("sharpness") || steps != null && steps.has("sharpness")) {
            Axis a = Axis.of(m, steps, "sharpness");
            LineChart s = new LineChart("Sharpness against 2/lr", a.label(), "lambda_max of the training loss's Hessian", "Plain gradient descent "
                    + "is stable along the sharpest direction while lambda_max < 2/lr; under full-batch training the sharpness climbs to 2/lr and "
                    + "hovers there (the edge of stability, Cohen et al. 2021).");
            if (spansDecades(a.table(), "sharpness", "two_over_lr")) s.logY();
            s.add("sharpness", a.x(), a.table().column("sharpness"));
            s.add("2 / lr", a.x(), a.table().column("two_over_lr"));
            out.add(s);
        }
        if (m.has("noise_scale") || steps != null && steps.has("noise_scale")) {
            Axis a = Axis.of(m, steps, "noise_scale");
            LineChart n = new LineChart("Gradient noise scale", a.label(), "B_simple = tr(Sigma) / |G|^2 (rows)", "McCandlish et al. (2018): "
                    + "batches much smaller than B_simple spend their steps on noise, much larger ones spend examples for little gain.").logY();
            n.add("B_simple", a.x(), a.table().column("noise_scale"));
            out.add(n);
        }
        if (m.has("subspace_overlap") || steps != null && steps.has("subspace_overlap")) {
            Axis a = Axis.of(m, steps, "subspace_overlap");
            LineChart o = new LineChart("Gradient in the top Hessian subspace", a.label(), "share of |g|^2 in the top-k eigenvectors' span",
                    "Gur-Ari et al. (2018): soon after the start nearly all of the gradient lies in the span of the top k eigenvectors "
                            + "(k = classes): descent happens in a tiny subspace.");
            o.add("overlap", a.x(), a.table().column("subspace_overlap"));
            out.add(o);
        }
        if (m.has("preconditioned_sharpness") || steps != null && steps.has("preconditioned_sharpness")) {
            Axis a = Axis.of(m, steps, "preconditioned_sharpness");
            LineChart p = new LineChart("Preconditioned sharpness", a.label(), "lambda_max(P^-1 H)", "Adaptive methods train at their own "
                    + "edge: lambda_max of the preconditioned Hessian rises to (2 + 2 beta1)/((1 - beta1) lr) (Cohen et al. 2022).").logY();
            p.add("lambda_max(P^-1 H)", a.x(), a.table().column("preconditioned_sharpness"));
            p.add("threshold", a.x(), a.table().column("preconditioned_threshold"));
            out.add(p);
        }
        if (steps != null && steps.has("alpha")) {
            double[] step = steps.column("step"), alpha = steps.column("alpha");
            LineChart a = new LineChart("Where each step lands", "optimizer step", "alpha", "The loss along each step on its own rows, as "
                    + "a parabola: -1 the step hardly moved, 0 it landed at the bottom, 1 as high on the far side (Cockpit's normalized step "
                    + "length). Far below 0 the rate could be larger; above 1 the steps climb the valley's far wall.");
            a.addPoints("alpha", step, alpha);
            for (double level : new double[] {-1, 0, 1})
                a.add(level == 0 ? "at the bottom" : level < 0 ? "no move" : "as high across", new double[] {step[0], step[step.length - 1]},
                        new double[] {level, level});
            out.add(a);
        }
        Axis layers = Axis.of(m, steps, "layer_0_grad_norm");
        List<String> ratios = layers.table().columnsStartingWith("layer_").stream().filter(c -> c.endsWith("_update_ratio")).toList();
        if (!ratios.isEmpty()) {
            LineChart u = new LineChart("Update size per layer", layers.label(), "|W - W_before| / |W| since the last measurement (log)",
                    "How far each layer's weights move relative to their size: layers far below the others learn little.").logY();
            for (String c : ratios) u.add(c.replace("_update_ratio", "").replace('_', ' '), layers.x(), layers.table().column(c));
            out.add(u);
        }
        if (m.has("eig_max")) {
            LineChart s = new LineChart("Sharpness", "epoch", "lr x lambda_max / 2", "Above 1, a plain gradient step at this rate would "
                    + "diverge along the sharpest direction: training at the edge of stability hovers near 1.");
            s.add("lr x lambda_max / 2", epoch, m.column("lr_eig_max_over_2"));
            out.add(s);
        }
        return out;
    }

    /** Where an instrument's chart takes its figures: track.csv against the step when it is there, else metrics.csv. */
    private record Axis(MetricsTable table, double[] x, String label) {
        static Axis of(MetricsTable m, MetricsTable steps, String column) {
            return steps != null && steps.has(column) ? new Axis(steps, steps.column("step"), "optimizer step")
                    : new Axis(m, m.column("epoch"), "epoch");
        }
    }

    /** Whether the columns' positive values span more than two decades. */
    static boolean spansDecades(MetricsTable m, String... columns) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (String c : columns)
            for (double v : m.column(c))
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
        return hi > 0 && hi / lo > 100;
    }
}
