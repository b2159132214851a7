package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line-search and second-order methods: budgets against PyTorch's L-BFGS, Newton's quadratic rate, saddles. */
class MinimizerTest {
    /** Function+gradient evaluations torch.optim.LBFGS(history_size=10, line_search_fn='strong_wolfe') needs, stepped as usual (max_iter=20), to reach f &lt; 1e-10 on Rosenbrock from (-1.2, 1). */
    static final long PYTORCH_LBFGS_EVALUATIONS = 45;

    private static long evaluationsToReach(String spec, double target) {
        TestFunction f = TestFunction.parse("rosenbrock");
        for (Trajectory.Point p : Trajectory.run(f, spec, -1.2, 1, 500).points) if (p.f() < target) return p.evals();
        throw new AssertionError(spec + " never reached f < " + target);
    }

    @Test
    void lbfgsNeedsNoMoreEvaluationsThanPyTorch() {
        long evals = evaluationsToReach("lbfgs:history_size=10,line_search_fn=strong_wolfe", 1e-10);
        assertTrue(evals <= PYTORCH_LBFGS_EVALUATIONS, "lbfgs used " + evals);
    }

    @Test
    void conjugateGradientsWithinThreeTimesLbfgs() {
        long evals = evaluationsToReach("cg", 1e-10);
        assertTrue(evals <= 3 * PYTORCH_LBFGS_EVALUATIONS, "cg used " + evals);
        // Fletcher-Reeves gets there too, more slowly: it does not restart itself when progress stalls
        assertTrue(evaluationsToReach("cg:beta=fletcher_reeves", 1e-10) > evals);
    }

    @Test
    void conjugateGradientsSolveAQuadraticInAsManyStepsAsDimensions() {
        List<Trajectory.Point> path = Trajectory.run(TestFunction.parse("matyas"), "cg", 3, -7, 5).points;
        assertTrue(path.get(2).f() < 1e-15, "two conjugate directions finish a 2-D quadratic: " + path.get(2));
    }

    @Test
    void newtonConvergesQuadratically() {
        List<Trajectory.Point> path = Trajectory.run(TestFunction.parse("rosenbrock"), "newton", 1.2, 1.2, 8).points;
        int checked = 0;
        for (int k = 1; k + 1 < path.size(); k++) {
            double e = distanceToOptimum(path.get(k)), next = distanceToOptimum(path.get(k + 1));
            if (e > 5e-2 || next < 1e-12) continue; // below 1e-12 rounding dominates
            assertTrue(next <= 10 * e * e, "e_" + (k + 1) + " = " + next + " should be O(e_" + k + "^2) = " + e * e);
            checked++;
        }
        assertTrue(checked >= 2, "saw the quadratic phase " + checked + " times");
        assertEquals(0, path.get(path.size() - 1).f(), 1e-20);
    }

    @Test
    void plainNewtonFallsIntoTheSaddleAndSaddleFreeNewtonLeavesIt() {
        TestFunction saddle = TestFunction.parse("saddle");
        Trajectory.Point newton = Trajectory.run(saddle, "newton", 1, 0.01, 3).points.get(1);
        assertEquals(0, newton.x(), 1e-15);
        assertEquals(0, newton.y(), 1e-15, "Newton jumps onto the saddle point");
        List<Trajectory.Point> free = Trajectory.run(saddle, "newton:saddle_free=true", 1, 0.01, 10).points;
        Trajectory.Point last = free.get(free.size() - 1);
        assertTrue(Math.abs(last.y()) > 1 && last.f() < -1, "saddle-free Newton moves down the negative curvature: " + last);
    }

    @Test
    void naturalGradientIsGaussNewtonOnLeastSquares() {
        // on a quadratic the Fisher is the Hessian, so one undamped-enough step lands on the minimum
        Trajectory.Point p = Trajectory.run(TestFunction.parse("quadratic:kappa=100"), "ngd:damping=1e-12", 1, 1, 1).points.get(1);
        assertEquals(0, p.f(), 1e-18);
        List<Trajectory.Point> path = Trajectory.run(TestFunction.parse("rosenbrock"), "ngd", -1.2, 1, 30).points;
        assertTrue(path.get(path.size() - 1).f() < 1e-12, "Gauss-Newton steps solve Rosenbrock: " + path.get(path.size() - 1));
    }

    private static double distanceToOptimum(Trajectory.Point p) {
        return Math.hypot(p.x() - 1, p.y() - 1);
    }
}
