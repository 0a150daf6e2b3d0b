package dev.lasermesh.gateway.store;

import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionTask;

/** The kinds of worker task, each with its message type. */
public enum TaskType {
    ANALYSIS(AnalysisTask.class), REDUCTION(ReductionTask.class), EVALUATION(EvaluationTask.class);

    private final Class<? extends Message> messageType;

    TaskType(Class<? extends Message> messageType) {
        this.messageType = messageType;
    }

    /** The record a task of this kind is sent as. */
    public Class<? extends Message> messageType() {
        return messageType;
    }
}
