package dev.lasermesh.contracts.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Samples;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.task.AnalysisOutput;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The shared worker loop: decoding, failures, redeliveries — with a handler whose behaviour each test sets. */
class TaskRunnerTest {

    private static final String TASK_JSON = Json.write(Samples.analysisTask());

    /** Counts its calls and does what the test says. */
    private static final class ScriptedHandler implements TaskHandler<AnalysisTask, AnalysisResult> {
        final AtomicInteger calls = new AtomicInteger();
        final Function<AnalysisTask, AnalysisResult> work;

        ScriptedHandler(Function<AnalysisTask, AnalysisResult> work) {
            this.work = work;
        }

        @Override
        public Class<AnalysisTask> taskType() {
            return AnalysisTask.class;
        }

        @Override
        public AnalysisResult handle(AnalysisTask task) {
            calls.incrementAndGet();
            return work.apply(task);
        }

        @Override
        public boolean succeeded(AnalysisResult result) {
            return result.succeeded();
        }

        @Override
        public AnalysisResult failed(AnalysisTask task, TaskFailure failure) {
            return AnalysisResult.failed(task, failure);
        }
    }

    private static AnalysisResult completed(AnalysisTask task) {
        return AnalysisResult.completed(task, new AnalysisOutput(Samples.spectrum(), 0.5, "java/svd"));
    }

    @Test
    void completedTaskIsAnsweredUnderItsTaskId() {
        TaskOutcome outcome = new TaskRunner<>(new ScriptedHandler(TaskRunnerTest::completed)).run(TASK_JSON);
        assertEquals(TaskOutcome.Kind.COMPLETED, outcome.kind());
        assertEquals(Samples.analysisTask().taskId(), outcome.key());
        AnalysisResult sent = Json.read(outcome.json(), AnalysisResult.class);
        assertTrue(sent.succeeded());
        assertEquals(Samples.spectrum(), sent.output().spectrum());
    }

    @Test
    void redeliveredTaskGetsTheSameResultWithoutBeingRedone() {
        ScriptedHandler handler = new ScriptedHandler(TaskRunnerTest::completed);
        TaskRunner<AnalysisTask, AnalysisResult> runner = new TaskRunner<>(handler);
        TaskOutcome first = runner.run(TASK_JSON);
        TaskOutcome again = runner.run(TASK_JSON);
        assertEquals(TaskOutcome.Kind.REUSED, again.kind());
        assertSame(first.result(), again.result());
        assertEquals(1, handler.calls.get());
    }

    @Test
    void sameTaskIdWithOtherContentIsCarriedOutAgain() {
        ScriptedHandler handler = new ScriptedHandler(TaskRunnerTest::completed);
        TaskRunner<AnalysisTask, AnalysisResult> runner = new TaskRunner<>(handler);
        runner.run(TASK_JSON);
        TaskOutcome other = runner.run(TASK_JSON.replace("\"fraction\":0.5", "\"fraction\":0.25"));
        assertEquals(TaskOutcome.Kind.COMPLETED, other.kind());
        assertEquals(2, handler.calls.get());
    }

    @Test
    void badInputFailsTheTaskWithItsReasonNotRetryable() {
        TaskOutcome outcome = new TaskRunner<>(new ScriptedHandler(t -> {
            throw new InvalidInputException("/m/model.safetensors: tensor \"w\" has NaN at [1, 2]");
        })).run(TASK_JSON);
        assertEquals(TaskOutcome.Kind.FAILED, outcome.kind());
        TaskFailure failure = ((AnalysisResult) outcome.result()).failure();
        assertEquals("/m/model.safetensors: tensor \"w\" has NaN at [1, 2]", failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void ioErrorIsRetryableAndFailuresAreNotRemembered() {
        AtomicInteger attempt = new AtomicInteger();
        ScriptedHandler handler = new ScriptedHandler(t -> {
            if (attempt.incrementAndGet() == 1) {
                throw new UncheckedIOException("/store/x.safetensors: cannot be read", new IOException("EIO"));
            }
            return completed(t);
        });
        TaskRunner<AnalysisTask, AnalysisResult> runner = new TaskRunner<>(handler);
        TaskOutcome failed = runner.run(TASK_JSON);
        assertTrue(((AnalysisResult) failed.result()).failure().retryable());
        assertEquals("UncheckedIOException: /store/x.safetensors: cannot be read",
                ((AnalysisResult) failed.result()).failure().reason());
        assertEquals(TaskOutcome.Kind.COMPLETED, runner.run(TASK_JSON).kind());
    }

    @Test
    void failureReportedByTheHandlerCountsAsFailed() {
        TaskOutcome outcome = new TaskRunner<>(new ScriptedHandler(
                t -> AnalysisResult.failed(t, new TaskFailure("tensor w: NaN at [0, 0]", false)))).run(TASK_JSON);
        assertEquals(TaskOutcome.Kind.FAILED, outcome.kind());
    }

    @Test
    void programmingErrorIsNamedByItsClassOnOneLine() {
        TaskOutcome outcome = new TaskRunner<>(new ScriptedHandler(t -> {
            throw new IllegalStateException("broken\nsecond line");
        })).run(TASK_JSON);
        TaskFailure failure = ((AnalysisResult) outcome.result()).failure();
        assertEquals("IllegalStateException: broken", failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void unreadableMessagesAreReportedWithoutCallingTheHandler() {
        ScriptedHandler handler = new ScriptedHandler(TaskRunnerTest::completed);
        TaskRunner<AnalysisTask, AnalysisResult> runner = new TaskRunner<>(handler);
        for (String payload : new String[] {"not json", null, TASK_JSON.replace("\"version\":1", "\"version\":2"), "{}"}) {
            TaskOutcome outcome = runner.run(payload);
            assertEquals(TaskOutcome.Kind.UNREADABLE, outcome.kind(), String.valueOf(payload));
            assertNull(outcome.result());
            assertFalse(outcome.reason().isBlank());
        }
        assertTrue(runner.run(TASK_JSON.replace("\"version\":1", "\"version\":2")).reason().contains("version"));
        assertEquals(0, handler.calls.get());
    }
}
