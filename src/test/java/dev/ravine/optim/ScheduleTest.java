package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.optim.schedule.Schedule;
import dev.ravine.optim.schedule.Schedules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Learning-rate sequences against {@code torch.optim.lr_scheduler} to 1e-12 (relative), from
 * {@code src/test/resources/golden/generate.py}: through {@code ravine schedule}, and for plateau, fed the same
 * metrics through the Java API.
 */
class ScheduleTest {
    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        new ObjectMapper().readTree(Path.of("src/test/resources/golden/schedules.json").toFile())
                .forEach(c -> out.add(Arguments.of(c.get("schedule").asText(), c)));
        if (out.size() != 30) throw new AssertionError("expected 30 golden schedules, found " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ratesMatchPyTorch(String spec, JsonNode c) {
        JsonNode rates = c.get("rates");
        double[] actual;
        if (c.has("metrics")) {
            Schedule s = Schedules.parse(spec, c.get("lr").asDouble());
            actual = new double[rates.size()];
            for (int k = 0; k < actual.length; k++) {
                actual[k] = s.lr();
                s.step(c.get("metrics").get(k).asDouble());
            }
        } else {
            Cli r = Cli.run("schedule", "--schedule", spec, "--lr", c.get("lr").asText(), "--steps", c.get("steps").asText());
            assertEquals(0, r.exit(), r::toString);
            List<String> rows = r.out().lines().toList();
            assertEquals("step,lr", rows.get(0));
            actual = rows.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
        }
        assertEquals(rates.size(), actual.length);
        for (int k = 0; k < actual.length; k++)
            assertEquals(rates.get(k).asDouble(), actual[k], 1e-12 * Math.abs(rates.get(k).asDouble()), spec + " step " + k);
        if (c.has("momenta")) { // onecycle cycles SGD's momentum or Adam's beta1 the other way
            Schedule s = Schedules.parse(spec, c.get("lr").asDouble());
            for (int k = 0; k < rates.size(); k++) {
                if (k > 0) s.step(Double.NaN);
                assertEquals(c.get("momenta").get(k).asDouble(), s.momentum(), 1e-12, spec + " momentum at step " + k);
            }
            Cli r = Cli.run("schedule", "--schedule", spec, "--lr", c.get("lr").asText(), "--steps", c.get("steps").asText(), "--momentum");
            assertEquals(0, r.exit(), r::toString);
            List<String> rows = r.out().lines().toList();
            assertEquals("step,lr,momentum", rows.get(0));
            for (int k = 0; k < rates.size(); k++) {
                String[] cells = rows.get(k + 1).split(",");
                assertEquals(rates.get(k).asDouble(), Double.parseDouble(cells[1]), 1e-12 * Math.abs(rates.get(k).asDouble()), spec + " step " + k);
                assertEquals(c.get("momenta").get(k).asDouble(), Double.parseDouble(cells[2]), 1e-12, spec + " momentum column at step " + k);
            }
        } else if (!c.has("metrics")) {
            Cli r = Cli.run("schedule", "--schedule", spec, "--lr", c.get("lr").asText(), "--steps", "3", "--momentum");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("ravine: --momentum: " + spec + " leaves the momentum alone"), r.err());
        }
    }

    @Test
    void badSchedulesAreOneLineErrors() {
        String[][] cases = {
                {"stepp", "unknown schedule 'stepp' (valid: step, multistep, exponential, cosine, cosine_restarts, linear, constant, polynomial, onecycle, cyclic, plateau, power, linear_decay)"},
                {"constant:factor=1.5", "Constant multiplicative factor expected to be between 0 and 1."},
                {"cosine_restarts:t_mult=2", "Expected positive integer t_0, but got 0"},
                {"cosine_restarts:t_0=5,t_mult=0", "Expected integer t_mult >= 1, but got 0"},
                {"cyclic:max_lr=0.1", "base_lr and max_lr are required"},
                {"cyclic:base_lr=0.01,max_lr=0.1,mode=sine", "mode is invalid"},
                {"linear+plateau", "plateau follows the validation loss and cannot stand in a sequence"},
                {"constant+onecycle:max_lr=1,total_steps=9", "onecycle sets the rate itself and cannot stand in a sequence"},
                {"step:step_size=3+cosine:t_max=5", "step has no end of its own: say how many steps it lasts with for=N (step:step_size=3,for=10)"},
                {"linear+cosine:t_max=5,for=3", "the last schedule runs to the end"},
                {"linear:for=0+cosine:t_max=5", "for=0 must be a positive number of steps"},
                {"linear:for=two+cosine:t_max=5", "for=two is not a whole number"},
                {"cosine:t_max=5,for=3", "unknown key 'for' for cosine"},
                {"linear+cosine:t_max=0", "t_max must be a positive integer"},
                {"step:gamma=0.5", "step_size must be a positive integer (it has no default, as in PyTorch), got 0"},
                {"cosine", "t_max must be a positive integer (it has no default, as in PyTorch), got 0"},
                {"multistep:milestones=5|3", "Milestones should be a list of increasing integers"},
                {"linear:start_factor=0", "Starting multiplicative factor expected to be greater than 0"},
                {"onecycle:total_steps=10", "max_lr is required"},
                {"onecycle:max_lr=1,total_steps=10,anneal_strategy=sine", "anneal_strategy must by one of 'cos' or 'linear'"},
                {"plateau:factor=1.5", "Factor should be < 1.0."},
                {"plateau", "plateau follows the validation loss"},
                {"cosine:t_max=ten", "t_max=ten is not a whole number"},
                {"cosine:T_max=4,t_max=5", "key 't_max' given twice"},
        };
        for (String[] c : cases) {
            Cli r = Cli.run("schedule", "--schedule", c[0], "--lr", "0.1", "--steps", "5");
            assertEquals(2, r.exit(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertEquals(true, r.err().contains(c[1]), () -> c[1] + " not in " + r.err());
        }
    }

    @Test
    void keysTakePyTorchsCapitals() {
        double[] snake = Schedules.parse("cosine:t_max=7,eta_min=0.01", 0.1).sequence(20);
        assertArrayEquals(snake, Schedules.parse("cosine:T_max=7,ETA_MIN=0.01", 0.1).sequence(20));
        assertEquals(0.01, snake[7], 1e-15);
    }

    @Test
    void aPlusInANumberIsNoSequence() {
        assertArrayEquals(Schedules.parse("exponential:gamma=0.9", 0.1).sequence(9), Schedules.parse("exponential:gamma=+0.9", 0.1).sequence(9));
        assertArrayEquals(Schedules.parse("power:decay_steps=10,power=1e2", 0.1).sequence(9),
                Schedules.parse("power:decay_steps=10,power=1e+2", 0.1).sequence(9));
    }

    @Test
    void aSequenceResumesAtEachMilestoneFromTheBaseRate() {
        double[] rates = Schedules.parse("exponential:gamma=0.5,for=3+exponential:gamma=0.5,for=2+constant:factor=0.25,total_iters=1", 8).sequence(8);
        assertArrayEquals(new double[] {8, 4, 2, 8, 4, 2, 8, 8}, rates, 0);
    }

    @Test
    void lectureSchedules() {
        double[] power = Schedules.parse("power:decay_steps=10,power=1.0", 0.2).sequence(21);
        assertEquals(0.1, power[10], 1e-15);
        assertEquals(0.2 / 3, power[20], 1e-15);
        double[] linear = Schedules.parse("linear_decay:end_lr=0.001,steps=100", 0.1).sequence(150);
        assertEquals(0.5 * 0.1 + 0.5 * 0.001, linear[50], 1e-15);
        assertEquals(0.001, linear[100], 0);
        assertEquals(0.001, linear[149], 0);
    }
}
