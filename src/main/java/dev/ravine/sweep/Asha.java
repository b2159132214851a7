package dev.ravine.sweep;

import dev.ravine.UserError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al. 2020, ASHA): rungs at R, R eta, R eta^2, ... epochs, the last at the
 * sweep's full epochs. A free worker promotes a run to the next rung when it is in the top 1/eta of the runs that
 * finished its present rung (searching from the highest rung down) and starts a new run at the lowest rung
 * otherwise; a promoted run goes on from its checkpoint, so no epoch is trained twice. With one worker the order
 * of promotions, and so every figure, is the same on every machine.
 */
public final class Asha {
    /** {@code asha:min_epochs=R,eta=E}: the first rung's epochs and the reduction factor. */
    public record Rungs(int minEpochs, int eta, int maxEpochs) {
        public Rungs {
            if (minEpochs < 1) throw UserError.setting("search", "asha:min_epochs=" + minEpochs, "expected min_epochs=1 or more");
            if (eta < 2) throw UserError.setting("search", "asha:eta=" + eta, "expected eta=2 or more");
            if (maxEpochs < minEpochs)
                throw UserError.setting("search", "asha:min_epochs=" + minEpochs, "the first rung is beyond --epochs " + maxEpochs);
        }

        public static Rungs parse(String text, int maxEpochs) {
            if (!text.startsWith("asha")) throw UserError.setting("search", text, "expected asha:min_epochs=R,eta=E");
            int r = 1, e = 3;
            String rest = text.substring(4);
            if (rest.startsWith(":")) {
                for (String kv : rest.substring(1).split(",", -1)) {
                    int eq = kv.indexOf('=');
                    String k = eq < 0 ? kv : kv.substring(0, eq), v = eq < 0 ? "" : kv.substring(eq + 1);
                    int n;
                    try {
                        n = Integer.parseInt(v);
                    } catch (NumberFormatException ex) {
                        throw UserError.setting("search", text, "'" + kv + "' is not key=N with N a whole number");
                    }
                    switch (k) {
                        case "min_epochs" -> r = n;
                        case "eta" -> e = n;
                        default -> throw UserError.setting("search", text, "unknown key " + k + " (valid: min_epochs, eta)");
                    }
                }
            } else if (!rest.isEmpty()) throw UserError.setting("search", text, "expected asha:min_epochs=R,eta=E");
            return new Rungs(r, e, maxEpochs);
        }

        /** Each rung's epochs: R eta^k below the full epochs, then the full epochs. */
        public List<Integer> epochs() {
            List<Integer> out = new ArrayList<>();
            for (long e = minEpochs; e < maxEpochs; e *= eta) out.add((int) e);
            out.add(maxEpochs);
            return out;
        }
    }

    /** What a worker does next: train {@code trial} to rung {@code rung}. */
    record Job(int trial, int rung) {
    }

    private final Rungs rungs;
    private final List<Integer> budgets;
    private final int trials;
    /** Per trial: the highest rung finished (-1: none), its validation loss after each epoch so far, whether it ended. */
    private final int[] rung;
    private final double[][] curve;
    private final boolean[] running, ended;
    private final boolean[][] promoted;
    private int next;

    Asha(Rungs rungs, int trials) {
        this.rungs = rungs;
        this.budgets = rungs.epochs();
        this.trials = trials;
        rung = new int[trials];
        java.util.Arrays.fill(rung, -1);
        curve = new double[trials][];
        running = new boolean[trials];
        ended = new boolean[trials];
        promoted = new boolean[trials][budgets.size()];
    }

    /** The rung a run that has trained {@code epochs} epochs has finished (-1: none). */
    int rungOf(int epochs) {
        int k = -1;
        while (k + 1 < budgets.size() && budgets.get(k + 1) <= epochs) k++;
        return k;
    }

    /**
     * Trial {@code t} trained to the end of rung {@code k} (a job just done, or a resumed sweep's run), with validation
     * losses {@code valLoss} per epoch; {@code canGoOn} is false once it failed, diverged or stopped early.
     */
    synchronized void finished(int t, int k, double[] valLoss, boolean canGoOn) {
        running[t] = false;
        rung[t] = k;
        curve[t] = valLoss.clone();
        ended[t] = !canGoOn || k == budgets.size() - 1;
        for (int j = 0; j < k; j++) promoted[t][j] = true;
        notifyAll();
    }

    /** Trial {@code t}'s best validation loss within rung {@code k}'s epochs, or null before it finished that rung. */
    private Double rungLoss(int t, int k) {
        if (rung[t] < k || curve[t] == null) return null;
        double best = Double.POSITIVE_INFINITY;
        for (int e = 0; e < Math.min(budgets.get(k), curve[t].length); e++) if (curve[t][e] < best) best = curve[t][e];
        return Double.isFinite(best) ? best : null;
    }

    /** The next job, or null when none can start now (then wait for a running one, unless {@link #idle}). */
    synchronized Job next() {
        for (int k = budgets.size() - 2; k >= 0; k--) {
            int kk = k;
            List<Integer> done = new ArrayList<>();
            for (int t = 0; t < trials; t++) if (rung[t] >= k) done.add(t);
            int keep = done.size() / rungs.eta();
            List<Integer> ranked = done.stream().filter(t -> rungLoss(t, kk) != null).sorted(Comparator.comparingDouble(t -> rungLoss(t, kk))).toList();
            for (int i = 0; i < Math.min(keep, ranked.size()); i++) {
                int t = ranked.get(i);
                if (!promoted[t][k] && rung[t] == k && !ended[t] && !running[t]) {
                    promoted[t][k] = true;
                    running[t] = true;
                    return new Job(t, k + 1);
                }
            }
        }
        while (next < trials && (running[next] || rung[next] >= 0)) next++;
        if (next < trials) {
            running[next] = true;
            return new Job(next++, 0);
        }
        return null;
    }

    /** Whether nothing is training. */
    synchronized boolean idle() {
        for (boolean r : running) if (r) return false;
        return true;
    }

    /** Waits until a running job finishes. */
    synchronized void await() throws InterruptedException {
        if (!idle()) wait();
    }

    /** The epochs of rung {@code k}. */
    int epochs(int k) {
        return budgets.get(k);
    }

    Rungs rungs() {
        return rungs;
    }
}
