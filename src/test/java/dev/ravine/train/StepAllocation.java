package dev.ravine.train;

import com.sun.management.ThreadMXBean;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * The bytes one training step allocates on the calling thread once warm: gathering the minibatch, forward, loss,
 * backward, and the optimizer's update split by tensors. {@link #main} prints them for a set of steps, one per line,
 * for {@link NoAllocationTest} to run in a JVM of its own choosing.
 */
final class StepAllocation {
    /** One kind of step: an optimizer spec, the dtype, batch norm, and dropout (null for none). */
    record Step(String name, String optimizer, DType dtype, boolean batchNorm, Dropout dropout) {
    }

    private StepAllocation() {
    }

    /** One training step of this kind on the given number of threads, set up once; each run takes the next minibatch. */
    static Runnable step(Step kind, int threads) {
        Parallel.setThreads(threads);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:128-64:relu"), 64, 10, kind.dtype(), 128, kind.dropout(), kind.batchNorm(), true);
        Init.TORCH.apply(mlp, 1);
        int rows = 1000;
        Tensor data = Tensor.zeros(kind.dtype(), rows, 64), labels = Tensor.zeros(kind.dtype(), rows, 1);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < data.size(); i++) data.set(i, rng.nextDouble(-1, 1));
        for (int i = 0; i < rows; i++) labels.set(i, rng.nextInt(10));
        Minibatch minibatch = new Minibatch(new Dataset("test", List.of(), "y", Task.CLASSIFICATION, 10, data, labels), 128);
        int[] order = rng.ints(rows, 0, rows).toArray();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Optimizer optimizer = Optimizers.parse(kind.optimizer());
        optimizer.alignWith(mlp.network.tensorBounds());
        int[] next = {0};
        return () -> {
            minibatch.gather(mlp.network.input(128), order, next[0], 128);
            next[0] = (next[0] + 128) % (rows - 128);
            mlp.network.lossAndGradient(minibatch.targets(), loss);
            optimizer.step(mlp.network.parameters(), mlp.network.gradients(), 0.001);
        };
    }

    /**
     * Until when rounds may go on while a step allocates. The JIT compiles in the background, and on a slow or busy
     * machine its queue may hold a kernel's method for seconds, run meanwhile by code that boxes its vectors; one
     * budget for the process, so that a kernel that always allocates fails the test in time.
     */
    private static final long WAIT_UNTIL = System.nanoTime() + 30_000_000_000L;

    /**
     * The fewest bytes a step allocated in rounds of 200 steps, each after 3,000 more: four rounds, and more while a
     * step allocates and the budget lasts. What a step allocates once compiled shows in every round.
     */
    static long bytesPerStep(Runnable step) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; least > 0 && (round < 4 || System.nanoTime() < WAIT_UNTIL); round++) {
            for (int i = 0; i < 3000; i++) step.run();
            long before = bean.getCurrentThreadAllocatedBytes();
            int steps = 200;
            for (int i = 0; i < steps; i++) step.run();
            least = Math.min(least, (bean.getCurrentThreadAllocatedBytes() - before) / steps);
        }
        return least;
    }

    /**
     * Where a warm step allocates on this thread, for a failure to name: the commonest places that took new memory
     * (a new TLAB or an object outside one) over 500 steps, each as its innermost frame of ravine's, with how the JIT
     * ran it (interpreted, compiled, inlined), and the JDK frame that allocated.
     */
    static String allocationSites(Runnable step) {
        Map<String, Integer> sites = new HashMap<>();
        try (var recording = new Recording()) {
            for (String event : List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB"))
                recording.enable(event).withStackTrace();
            recording.start();
            for (int i = 0; i < 500; i++) step.run();
            recording.stop();
            Path file = Files.createTempFile("allocations", ".jfr");
            try {
                recording.dump(file);
                for (var event : RecordingFile.readAllEvents(file)) {
                    var thread = event.getThread("eventThread");
                    boolean ours = thread != null && thread.getJavaThreadId() == Thread.currentThread().threadId();
                    if (!ours || event.getStackTrace() == null) continue;
                    String jdk = "", site = "(no frame of ravine's)";
                    for (var frame : event.getStackTrace().getFrames()) {
                        String type = frame.getMethod().getType().getName(), where = type + "." + frame.getMethod().getName()
                                + ":" + frame.getLineNumber() + " [" + frame.getType() + "]";
                        if (!type.startsWith("dev.ravine.")) {
                            if (jdk.isEmpty()) jdk = " in " + where;
                            continue;
                        }
                        site = where;
                        break;
                    }
                    sites.merge(event.getClass("objectClass").getName() + " at " + site + jdk, 1, Integer::sum);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            return "(no allocation profile: " + e + ")";
        }
        StringBuilder out = new StringBuilder("where a step allocated (JFR, 500 steps, commonest first):");
        sites.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append("\n  ").append(e.getValue()).append(" x ").append(e.getKey()));
        return out.toString();
    }

    /**
     * The steps whose kernels differ, float32 Adam first: the Adam, SGD and RMSProp loops, batch norm's and dropout's
     * passes, and float64 (at 128 bits a double vector has two lanes, where the kernels that compare and blend run
     * their scalar tails whole: with vectors, x86's C2 left those operations to plain Java).
     */
    static List<Step> kinds() {
        return List.of(
                new Step("adam", "adam:lr=0.001", DType.FLOAT32, false, null),
                new Step("sgd-nesterov", "sgd:lr=0.01,momentum=0.9,nesterov=true", DType.FLOAT32, false, null),
                new Step("rmsprop-centered", "rmsprop:lr=0.001,centered=true,momentum=0.9", DType.FLOAT32, false, null),
                new Step("adam-batchnorm", "adam:lr=0.001", DType.FLOAT32, true, null),
                new Step("adam-dropout", "adam:lr=0.001", DType.FLOAT32, false, new Dropout(0.3, Dropout.Style.INVERTED, 7)),
                new Step("adam-float64", "adam:lr=0.001", DType.FLOAT64, true, null));
    }

    /** Prints each kind's bytes at one thread, then float32 Adam's at two, and where a step allocated if it did. */
    public static void main(String[] args) {
        System.out.println("float vectors: " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED);
        for (Step kind : kinds()) measure(kind.name(), kind, 1);
        measure("adam-two-threads", kinds().getFirst(), 2);
    }

    private static void measure(String name, Step kind, int threads) {
        Runnable step = step(kind, threads);
        long bytes = bytesPerStep(step);
        System.out.println(name + " " + bytes);
        if (bytes >= 64) System.out.println(allocationSites(step));
    }
}
