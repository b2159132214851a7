package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop splitters: every index visited exactly once, shares kept together, and a slow thread's units taken over. */
class ParallelTest {
    @AfterEach
    void restore() {
        Parallel.setThreads(1);
    }

    @Test
    void segmentsAreCoveredOnceInPiecesThatStayWithinOneThreadsShare() {
        int[] bounds = {0, 200704, 200960, 266496, 266752, 269312, 269322};
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            AtomicIntegerArray visits = new AtomicIntegerArray(bounds[bounds.length - 1]);
            java.util.Queue<int[]> pieces = new java.util.concurrent.ConcurrentLinkedQueue<>();
            Parallel.forSegments(bounds, 1L << 30, (from, to) -> {
                pieces.add(new int[] {from, to});
                for (int i = from; i < to; i++) visits.incrementAndGet(i);
            });
            for (int i = 0; i < visits.length(); i++) assertEquals(1, visits.get(i), "threads=" + threads + " index " + i);
            if (threads == 1) continue; // one thread: the whole range in one piece
            // whoever runs a piece, it lies in one thread's share of one segment (its t-th of T equal parts), so each
            // thread starts on the same rows of every tensor
            for (int[] p : pieces) {
                int s = 0;
                while (bounds[s + 1] <= p[0]) s++;
                long first = bounds[s], length = bounds[s + 1] - first;
                int t = 0;
                while (first + length * (t + 1) / threads <= p[0]) t++;
                long end = first + length * (t + 1) / threads;
                assertTrue(p[1] <= end, "threads=" + threads + " piece [" + p[0] + ", " + p[1] + ") crosses the end of share " + t + " at " + end);
            }
        }
    }

    /** A thread that has finished its own share takes what is left of a slow one's; every index still runs once. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFinishedThreadTakesOverTheRestOfASlowOnesShare() {
        for (int threads = 2; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            int n = 64;
            Thread caller = Thread.currentThread();
            AtomicIntegerArray visits = new AtomicIntegerArray(n), byCaller = new AtomicIntegerArray(n);
            Parallel.forRange(n, 1L << 30, (from, to) -> {
                if (Thread.currentThread() == caller && from == 0) sleep(300); // the caller stalls on its first unit
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                    if (Thread.currentThread() == caller) byCaller.set(i, 1);
                }
            });
            int ownedByCaller = n / threads, takenOver = 0;
            for (int i = 0; i < n; i++) assertEquals(1, visits.get(i), "threads=" + threads + " index " + i);
            for (int i = 0; i < ownedByCaller; i++) takenOver += 1 - byCaller.get(i);
            assertTrue(takenOver > 0, "threads=" + threads + ": the helpers left the stalled caller's whole share to it");
        }
    }

    @Test
    void piecesStartAtMultiplesOfTheBlock() {
        Parallel.setThreads(3);
        java.util.Queue<int[]> pieces = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicIntegerArray visits = new AtomicIntegerArray(22);
        Parallel.forRange(22, 4, 1L << 30, (from, to) -> {
            pieces.add(new int[] {from, to});
            for (int i = from; i < to; i++) visits.incrementAndGet(i);
        });
        for (int i = 0; i < 22; i++) assertEquals(1, visits.get(i), "index " + i);
        assertTrue(pieces.size() > 1, "not split");
        for (int[] p : pieces) {
            assertEquals(0, p[0] % 4, "piece [" + p[0] + ", " + p[1] + ")");
            assertTrue(p[1] % 4 == 0 || p[1] == 22, "piece [" + p[0] + ", " + p[1] + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(22, 0, 1L << 30, (from, to) -> { }));
    }

    /** A body that throws, on a helper or on the caller, fails the loop once every thread is out of it; the next loop runs whole. */
    /** forShares: every index once, in one piece a thread at most, each starting at a multiple of the block. */
    @Test
    void sharesAreOnePieceAThread() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            java.util.Queue<int[]> pieces = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicIntegerArray visits = new AtomicIntegerArray(125);
            Parallel.forShares(125, 8, 1L << 30, (from, to) -> {
                pieces.add(new int[] {from, to});
                for (int i = from; i < to; i++) visits.incrementAndGet(i);
            });
            for (int i = 0; i < 125; i++) assertEquals(1, visits.get(i), "threads=" + threads + " index " + i);
            assertEquals(threads, pieces.size(), "threads=" + threads);
            for (int[] p : pieces) assertEquals(0, p[0] % 8, "threads=" + threads + " piece [" + p[0] + ", " + p[1] + ")");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailingBodyFailsTheLoopAndLeavesTheHelpersReady() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        for (boolean onCaller : new boolean[] {false, true}) {
            // the thread that is not to throw is slow, so the other surely gets to run its part
            RuntimeException e = assertThrows(RuntimeException.class, () -> Parallel.forRange(16, 1L << 30, (from, to) -> {
                if ((Thread.currentThread() == caller) == onCaller) throw new ArithmeticException("unit " + from);
                sleep(20);
            }));
            Throwable cause = onCaller ? e : e.getCause();
            assertTrue(cause instanceof ArithmeticException, "onCaller=" + onCaller + ": " + e);
            AtomicIntegerArray visits = new AtomicIntegerArray(16);
            Parallel.forRange(16, 1L << 30, (from, to) -> {
                sleep(5); // slower than a helper still busy with the failed loop would take to report done
                for (int i = from; i < to; i++) visits.incrementAndGet(i);
            });
            for (int i = 0; i < 16; i++) assertEquals(1, visits.get(i), "onCaller=" + onCaller + " index " + i);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void smallWorkRunsInOnePiece() {
        Parallel.setThreads(2);
        int[] calls = new int[2];
        Parallel.forSegments(new int[] {0, 5, 9}, 10, (from, to) -> {
            calls[0]++;
            calls[1] += to - from;
        });
        assertArrayEquals(new int[] {1, 9}, calls);
    }

    /**
     * Inside a stretch for a small step every loop stays on the calling thread, however large the loop, and closing the
     * stretch (or one nested in it) puts back what was there; a step of {@code minParallelStep()} or more, or a single
     * thread, changes nothing.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aSmallStepKeepsEveryLoopOnTheCallersThread() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        try (var _ = Parallel.serialBelow(Parallel.minParallelStep() - 1)) {
            assertTrue(Parallel.serialHere());
            assertEquals(1, threadsUsed(caller));
            try (var _ = Parallel.serialBelow(Parallel.minParallelStep())) {
                assertTrue(Parallel.serialHere(), "a stretch inside a serial one stays serial");
            }
            assertTrue(Parallel.serialHere());
            assertEquals(1, threadsUsed(caller));
        }
        assertEquals(2, threadsUsed(caller));
        try (var _ = Parallel.serialBelow(Parallel.minParallelStep())) {
            assertFalse(Parallel.serialHere());
            assertEquals(2, threadsUsed(caller));
        }
        Parallel.setThreads(1);
        try (var _ = Parallel.serialBelow(1)) {
            assertFalse(Parallel.serialHere(), "no helpers to leave idle");
        }
    }

    /** The threads a large loop and a large segmented loop ran on, each index once; a helper is made to take part by waiting for it. */
    private static int threadsUsed(Thread caller) {
        java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int n = 64;
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        Parallel.Range body = (from, to) -> {
            seen.add(Thread.currentThread());
            if (Thread.currentThread() == caller) sleep(20); // leaves the helper time to take its share
            for (int i = from; i < to; i++) visits.incrementAndGet(i);
        };
        Parallel.forRange(n, 1L << 30, body);
        Parallel.forSegments(new int[] {0, n / 2, n}, 1L << 30, body);
        for (int i = 0; i < n; i++) assertEquals(2, visits.get(i), "index " + i);
        return seen.size();
    }

    /**
     * A body that splits a loop of its own (a long dot product inside a split pass) runs it in one piece on its
     * thread: every index of the inner loops visited once by each, where handing it to the busy helpers would lose chunks or
     * leave a helper waiting on itself.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aLoopSplitInsideASplitLoopRunsInOnePiece() {
        for (int threads = 2; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            int outer = 12, inner = 5000;
            AtomicIntegerArray visits = new AtomicIntegerArray(outer * inner);
            Parallel.forRange(outer, 1L << 30, (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    int at = o * inner;
                    Parallel.forRange(inner, 1L << 30, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) visits.incrementAndGet(at + i);
                    });
                    Parallel.forSegments(new int[] {0, inner / 2, inner}, 1L << 30, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) visits.incrementAndGet(at + i);
                    });
                }
            });
            for (int i = 0; i < visits.length(); i++) assertEquals(2, visits.get(i), "threads=" + threads + " index " + i);
        }
    }

    /**
     * Two threads of an application each running its own loops (two trainings side by side) share one set of helpers:
     * whichever thread finds them busy runs its loop in one piece, and every index of every loop is visited once, also
     * while a third thread changes the thread count (a helper it stops is not handed a loop).
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void callersOnTwoThreadsEachGetEveryIndexOnce() throws Exception {
        for (int threads = 2; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            int loops = 2_000, n = 256, callers = 2;
            AtomicIntegerArray wrong = new AtomicIntegerArray(callers);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(callers);
            Thread[] ts = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int me = c;
                ts[c] = new Thread(() -> {
                    int[] visits = new int[n];
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int l = 0; l < loops; l++) {
                        java.util.Arrays.fill(visits, 0);
                        Parallel.forRange(n, 1L << 30, (from, to) -> {
                            for (int i = from; i < to; i++) visits[i]++;
                        });
                        for (int v : visits) if (v != 1) wrong.incrementAndGet(me);
                    }
                });
                ts[c].start();
            }
            Thread toggler = new Thread(() -> {
                for (int k = 0; ts[0].isAlive() || ts[1].isAlive(); k++) {
                    Parallel.setThreads(2 + k % 2);
                    Thread.yield();
                }
            });
            if (threads == 3) toggler.start();
            for (Thread t : ts) t.join();
            toggler.join();
            for (int c = 0; c < callers; c++) assertEquals(0, wrong.get(c), "threads=" + threads + " caller " + c);
        }
    }
}
