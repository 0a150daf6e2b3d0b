package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The throughput model's terms, each made to dominate in turn with numbers worked out by hand. */
class ThroughputModelTest {

    private static final double TOLERANCE = 1e-8;

    @Test
    void workSpreadsOverMachinesUntilTheLongestTaskOrTheGatewayBounds() {
        // four tasks of 10 s with 0.5 s pickup each, 0.2 s latency, 0.1 s of gateway per result
        ThroughputModel.StageModel stage = new ThroughputModel.StageModel("ANALYSIS", List.of(10.0, 10.0, 10.0, 10.0),
                0.5, 0.2, 0.1);
        assertEquals(42 + 0.2, stage.seconds(1), TOLERANCE, "one machine does all: 4 × 10.5");
        assertEquals(21 + 0.2, stage.seconds(2), TOLERANCE);
        assertEquals(10.5 + 0.2, stage.seconds(8), TOLERANCE, "more machines than tasks: the longest task");

        ThroughputModel.StageModel tiny = new ThroughputModel.StageModel("ANALYSIS", List.of(0.001, 0.001, 0.001),
                0.002, 0.05, 0.02);
        assertEquals(3 * 0.02 + 0.05, tiny.seconds(32), TOLERANCE, "tiny tasks: the gateway's serial results bound it");
    }

    @Test
    void theJobAddsPlanningStagesAndAssemblyAndTheirSerialPart() {
        ThroughputModel model = new ThroughputModel(1.0, List.of(
                new ThroughputModel.StageModel("ANALYSIS", List.of(4.0, 4.0), 0.0, 0.5, 0.0),
                new ThroughputModel.StageModel("REDUCTION", List.of(6.0, 2.0), 0.0, 0.25, 0.0)), 3.0);
        assertEquals(1 + 8.5 + 8.25 + 3, model.seconds(1), TOLERANCE);
        assertEquals(1 + 4.5 + 6.25 + 3, model.seconds(2), TOLERANCE, "the 6 s reduction bounds the second stage");
        assertEquals(1 + 0.5 + 0.25 + 3, model.serialSeconds(), TOLERANCE);
        assertEquals(4, model.tasks());
        assertThrows(IllegalArgumentException.class, () -> model.seconds(0));
    }

    @Test
    void aBiggerModelRepeatsTheMeasuredTasksAndScalesTheAssembly() {
        java.time.Instant t0 = java.time.Instant.ofEpochSecond(2_000_000);
        List<TaskTiming> tasks = List.of(
                new TaskTiming("a", "ANALYSIS", "w", t0.plusMillis(1000), t0.plusMillis(1100), t0.plusMillis(3200),
                        t0.plusMillis(3300), 2.0),
                new TaskTiming("r", "REDUCTION", "w", t0.plusMillis(3300), t0.plusMillis(3400), t0.plusMillis(6500),
                        t0.plusMillis(6600), 3.0));
        JobTimeline job = new JobTimeline(t0, t0.plusMillis(8600), tasks);
        ThroughputModel model = ThroughputModel.of(job, 3, 2.5);
        assertEquals(6, model.tasks());
        assertEquals(1.0, model.planningSeconds(), TOLERANCE);
        assertEquals(2.0 * 2.5, model.assemblySeconds(), TOLERANCE);
        ThroughputModel.StageModel analysis = model.stages().getFirst();
        assertEquals(List.of(2.0, 2.0, 2.0), analysis.taskSeconds());
        assertEquals(0.1, analysis.pickup(), TOLERANCE, "published 1.1, started 3.2 − 2.0 = 1.2");
        assertEquals(0.1 + 0.1, analysis.latency(), TOLERANCE, "outbox 0.1 + return 0.1");
        assertEquals(0.1, analysis.gatewayPerTask(), TOLERANCE, "no result waited: the return time");
        assertEquals(ThroughputModel.of(job, 1, 1).seconds(1), job.wallSeconds(), TOLERANCE,
                "one copy on one machine: the measured job, when nothing queued");
    }
}
