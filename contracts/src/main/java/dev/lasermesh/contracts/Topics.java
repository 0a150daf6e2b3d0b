package dev.lasermesh.contracts;

import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka topics of the mesh (DESIGN §2) and the one message type each carries. Record keys:
 * {@link Message#key()} — the task id on task and result topics (a redelivered task lands on the same
 * partition as its first delivery), the job id on {@link #JOB_EVENTS} (one job's events stay in order).
 */
public final class Topics {

    /** {@link AnalysisTask}: gateway → analyzers. */
    public static final String ANALYSIS_TASKS = "lasermesh.analysis-tasks";
    /** {@link AnalysisResult}: analyzers → gateway. */
    public static final String ANALYSIS_RESULTS = "lasermesh.analysis-results";
    /** {@link ReductionTask}: gateway → reducers. */
    public static final String REDUCTION_TASKS = "lasermesh.reduction-tasks";
    /** {@link ReductionResult}: reducers → gateway. */
    public static final String REDUCTION_RESULTS = "lasermesh.reduction-results";
    /** {@link EvaluationTask}: gateway → evaluators. */
    public static final String EVALUATION_TASKS = "lasermesh.evaluation-tasks";
    /** {@link EvaluationResult}: evaluators → gateway. */
    public static final String EVALUATION_RESULTS = "lasermesh.evaluation-results";
    /** {@link JobEvent}: gateway → dashboard (and anyone watching a job). */
    public static final String JOB_EVENTS = "lasermesh.job-events";

    /** Every topic with the type of its messages, in data-flow order. */
    public static final Map<String, Class<? extends Message>> MESSAGE_TYPES = messageTypes();

    private Topics() {
    }

    private static Map<String, Class<? extends Message>> messageTypes() {
        Map<String, Class<? extends Message>> types = new LinkedHashMap<>();
        types.put(ANALYSIS_TASKS, AnalysisTask.class);
        types.put(ANALYSIS_RESULTS, AnalysisResult.class);
        types.put(REDUCTION_TASKS, ReductionTask.class);
        types.put(REDUCTION_RESULTS, ReductionResult.class);
        types.put(EVALUATION_TASKS, EvaluationTask.class);
        types.put(EVALUATION_RESULTS, EvaluationResult.class);
        types.put(JOB_EVENTS, JobEvent.class);
        return Collections.unmodifiableMap(types);
    }
}
