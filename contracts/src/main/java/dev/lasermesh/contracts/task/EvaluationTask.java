package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.EvaluationSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * "Score these windows of the texts with this model state" (DESIGN §2 step 5), gateway → evaluator on
 * {@link Topics#EVALUATION_TASKS}. A model state is the base model with {@code overlays} applied. For a
 * task evaluation ({@link EvaluationSpec#scoresTask()}, DESIGN §7.1) the shard is a range of the task's
 * examples instead — train examples 0..n−1 then test examples n..n+m−1 — to be embedded. A
 * calibration task (DESIGN §7.4) carries {@code calibration} instead of {@code evaluation}: the statistics
 * of the inputs of {@code matrices} on the shard's calibration windows are collected from the base model
 * (no overlays) and stored, for the gateway to merge ({@link CalibrationShard}).
 *
 * @param version    contract version, {@link ContractVersion#CURRENT}
 * @param jobId      the job
 * @param taskId     stable id of this task ({@link TaskIds#evaluation})
 * @param requestId  the id of the search's evaluation request (core's {@code EvaluationRequest.id()});
 *                   the shards of one request are merged under it
 * @param modelPath  the base model folder, an absolute real path under the model roots
 * @param overlays   the reduced tensors replacing base tensors, each base tensor at most once; empty
 *                   for the base model
 * @param evaluation texts and protocol, resolved (texts absolute; protocol, window and stride set); null
 *                   for a calibration task
 * @param shard      the windows to score, or for a task the examples to embed, or the calibration windows
 * @param calibration the calibration text, resolved (text absolute, tokens and window set); null unless this
 *                   is a calibration task
 * @param matrices   the tensors whose inputs a calibration task collects; null unless this is one
 */
public record EvaluationTask(int version, String jobId, String taskId, String requestId, String modelPath,
                             List<Overlay> overlays, EvaluationSpec evaluation, WindowShard shard,
                             CalibrationSpec calibration, List<String> matrices) implements Message {

    public EvaluationTask {
        ContractVersion.require(version, "EvaluationTask");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        Require.text(requestId, "requestId");
        TaskChecks.absolutePath(modelPath, "modelPath");
        overlays = Require.elements(overlays, "overlays");
        Set<String> replaced = new HashSet<>();
        for (int i = 0; i < overlays.size(); i++) {
            if (!replaced.add(overlays.get(i).replaces())) {
                throw new ContractException("overlays replace " + overlays.get(i).replaces() + " more than once",
                        "overlays[" + i + "].replaces");
            }
        }
        if ((evaluation == null) == (calibration == null)) {
            throw new ContractException("exactly one of evaluation and calibration must be present",
                    evaluation == null ? "evaluation" : "calibration");
        }
        Require.present(shard, "shard");
        if (calibration != null) {
            requireCalibration(calibration, overlays);
            matrices = Require.nonEmpty(matrices, "matrices");
            for (int i = 0; i < matrices.size(); i++) {
                Require.text(matrices.get(i), "matrices[" + i + "]");
            }
        } else {
            requireEvaluation(evaluation, matrices);
        }
    }

    private static void requireEvaluation(EvaluationSpec evaluation, List<String> matrices) {
        if (matrices != null) {
            throw new ContractException("matrices belong to a calibration task", "matrices");
        }
        try {
            evaluation.requireResolved();
        } catch (ContractException e) {
            throw e.within("evaluation");
        }
        for (int i = 0; i < evaluation.texts().size(); i++) {
            TaskChecks.absolutePath(evaluation.texts().get(i), "evaluation.texts[" + i + "]");
        }
        if (evaluation.scoresTask()) {
            TaskChecks.absolutePath(evaluation.task(), "evaluation.task");
        }
    }

    /** An evaluation task (no calibration). */
    public EvaluationTask(int version, String jobId, String taskId, String requestId, String modelPath,
                          List<Overlay> overlays, EvaluationSpec evaluation, WindowShard shard) {
        this(version, jobId, taskId, requestId, modelPath, overlays, evaluation, shard, null, null);
    }

    private static void requireCalibration(CalibrationSpec calibration, List<Overlay> overlays) {
        TaskChecks.absolutePath(calibration.text(), "calibration.text");
        if (calibration.tokens() == null || calibration.tokens() < 1) {
            throw new ContractException("calibration.tokens must be set and >= 1", "calibration.tokens");
        }
        if (calibration.window() == null || calibration.window() < 2) {
            throw new ContractException("calibration.window must be set and >= 2", "calibration.window");
        }
        if (!overlays.isEmpty()) {
            throw new ContractException("a calibration is taken on the original model, without overlays",
                    "overlays");
        }
    }

    /** Whether this task collects calibration statistics rather than scoring. */
    public boolean calibrates() {
        return calibration != null;
    }

    @Override
    public String topic() {
        return Topics.EVALUATION_TASKS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
