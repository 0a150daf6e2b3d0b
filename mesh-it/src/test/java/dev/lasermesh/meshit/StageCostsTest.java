package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The overhead extraction on a hand-made timeline whose every part is known: three analyses on one
 * worker (the second published while the first ran, so it queued), then two reductions on two workers.
 */
class StageCostsTest {

    private static final double TOLERANCE = 1e-8;

    /** Seconds after a fixed origin. */
    private static Instant at(double seconds) {
        return Instant.ofEpochSecond(1_000_000).plusNanos(Math.round(seconds * 1e9));
    }

    /**
     * A task planned at {@code created}, published {@code outbox} later, started by {@code worker} at
     * {@code start}, worked {@code seconds}, its result committed {@code back} after it was sent.
     */
    private static TaskTiming task(String id, String type, String worker, double created, double outbox, double start,
                                   double seconds, double back) {
        return new TaskTiming(id, type, worker, at(created), at(created + outbox), at(start + seconds),
                at(start + seconds + back), seconds);
    }

    private static final List<TaskTiming> TIMELINE = List.of(
            // a1: published 0.1, started 0.15 (pickup 0.05), works 2 s, sent 2.15, committed 2.17
            task("a1", "ANALYSIS", "w1", 0.0, 0.1, 0.15, 2.0, 0.02),
            // a2: published 0.11 while a1 runs: queues until 2.15, picked up at 2.18 (0.03), works 1 s, sent 3.18
            task("a2", "ANALYSIS", "w1", 0.0, 0.11, 2.18, 1.0, 0.04),
            // a3: planned 5, published 5.2, worker free since 3.18: no queue, pickup 0.01, works 0.5 s
            task("a3", "ANALYSIS", "w1", 5.0, 0.2, 5.21, 0.5, 0.03),
            // two reductions planned at 6 on two idle workers
            task("r1", "REDUCTION", "w2", 6.0, 0.1, 6.12, 3.0, 0.01),
            task("r2", "REDUCTION", "w3", 6.0, 0.1, 6.14, 4.0, 0.05));

    @Test
    void splitsEachTaskIntoOutboxQueuePickupWorkAndReturn() {
        Map<String, StageCosts> stages = StageCosts.byType(TIMELINE);
        assertEquals(List.of("ANALYSIS", "REDUCTION"), List.copyOf(stages.keySet()), "stages in the order they ran");

        StageCosts analysis = stages.get("ANALYSIS");
        assertEquals(3, analysis.tasks());
        assertEquals(1, analysis.workers());
        assertEquals(3.5, analysis.computeSum(), TOLERANCE);
        assertEquals(2.0, analysis.computeMax(), TOLERANCE);
        assertEquals((0.1 + 0.11 + 0.2) / 3, analysis.outboxMean(), TOLERANCE);
        assertEquals((0 + (2.15 - 0.11) + 0) / 3, analysis.queueMean(), TOLERANCE);
        assertEquals((0.05 + 0.03 + 0.01) / 3, analysis.pickupMean(), TOLERANCE);
        assertEquals((0.02 + 0.04 + 0.03) / 3, analysis.returnMean(), TOLERANCE);
        assertEquals(analysis.outboxMean() + analysis.pickupMean() + analysis.returnMean(), analysis.overheadPerTask(),
                TOLERANCE);
        assertEquals(5.71 + 0.03, analysis.wallSeconds(), TOLERANCE, "first planned (0) → last committed (5.74)");
        assertEquals(3.5 / 5.74, analysis.busy(), TOLERANCE);

        StageCosts reduction = stages.get("REDUCTION");
        assertEquals(2, reduction.workers());
        assertEquals(0, reduction.queueMean(), TOLERANCE, "two idle workers: nothing waits");
        assertEquals((0.02 + 0.04) / 2, reduction.pickupMean(), TOLERANCE);
        assertEquals(10.19 - 6.0, reduction.wallSeconds(), TOLERANCE);
        assertEquals(7.0 / (4.19 * 2), reduction.busy(), TOLERANCE);
    }

    @Test
    void theGatewaysTimePerResultIsTheGapBetweenCommitsOfResultsThatWaited() {
        assertEquals(stages().get("ANALYSIS").returnMean(), stages().get("ANALYSIS").gatewayMean(), TOLERANCE,
                "no result waited: the return time stands in");
        // results sent at 1.0, 1.01, 1.02 by three workers, committed at 1.1, 1.3, 1.5: the second and third waited
        List<TaskTiming> burst = List.of(task("b1", "ANALYSIS", "w1", 0.0, 0.1, 0.5, 0.5, 0.1),
                task("b2", "ANALYSIS", "w2", 0.0, 0.1, 0.51, 0.5, 0.29),
                task("b3", "ANALYSIS", "w3", 0.0, 0.1, 0.52, 0.5, 0.48));
        assertEquals(0.2, StageCosts.of("ANALYSIS", burst).gatewayMean(), TOLERANCE);
    }

    private static Map<String, StageCosts> stages() {
        return StageCosts.byType(TIMELINE);
    }

    @Test
    void theJobsPlanningAndAssemblyAreWhatIsOutsideTheTasks() {
        JobTimeline job = new JobTimeline(at(-0.5), at(12.19), TIMELINE);
        assertEquals(0.5, job.planningSeconds(), TOLERANCE, "submitted → first task planned");
        assertEquals(12.19 - 10.19, job.assemblySeconds(), TOLERANCE, "last result committed → job ended");
        assertEquals(12.69, job.wallSeconds(), TOLERANCE);
    }

    @Test
    void aStageWithoutTasksIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StageCosts.of("ANALYSIS", List.of()));
    }
}
