package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.Topics;

/**
 * "Truncate this matrix to rank k and store it" (DESIGN §2 step 4), gateway → reducer on
 * {@link Topics#REDUCTION_TASKS}. The reducer writes {@code outputPath} under a temporary name and
 * renames it (DESIGN §5), so a redelivered task rewrites the same file with the same bytes.
 *
 * @param version    contract version, {@link ContractVersion#CURRENT}
 * @param jobId      the job
 * @param taskId     stable id of this task ({@link TaskIds#reduction})
 * @param modelPath  the base model folder, an absolute real path under the model roots
 * @param matrix     the matrix to truncate
 * @param rank       k, the number of singular triplets kept; ≥ 0 (0 gives a zero matrix) for
 *                   {@code dense}, ≥ 1 for {@code factored}
 * @param form       {@code dense} (one tensor, the original's shape and name) or {@code factored}
 *                   (two tensors, U_k·√S_k and √S_k·V_kᵀ)
 * @param outputPath the safetensors file to write, relative to the artifact store root
 * @param transform  null to truncate (as before the field existed); else whether to truncate and how to
 *                   quantize the result (the quantization study, issue 9)
 * @param method     the calibrated method that makes W_k (DESIGN §7.4); null for W's own SVD
 */
public record ReductionTask(int version, String jobId, String taskId, String modelPath, MatrixId matrix, int rank,
                            OutputForm form, String outputPath, ReductionTransform transform,
                            CalibratedMethod method) implements Message {

    public ReductionTask {
        ContractVersion.require(version, "ReductionTask");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        TaskChecks.absolutePath(modelPath, "modelPath");
        Require.present(matrix, "matrix");
        Require.present(form, "form");
        int least = form == OutputForm.FACTORED ? 1 : 0;
        if (rank < least) {
            throw new ContractException("rank must be >= " + least + " for form " + form.label() + ", got " + rank,
                    "rank");
        }
        ArtifactPath.check(outputPath, "outputPath");
        if (transform != null && !transform.truncate() && (form != OutputForm.DENSE || rank != 0)) {
            throw new ContractException("a transform that keeps the matrix untruncated needs form dense and rank 0, got "
                    + form.label() + " and " + rank, "transform.truncate");
        }
        if (method != null && transform != null) {
            throw new ContractException("a calibrated method does not combine with a study's transform", "method");
        }
    }

    /** A truncation with a transform, by W's own SVD. */
    public ReductionTask(int version, String jobId, String taskId, String modelPath, MatrixId matrix, int rank,
                         OutputForm form, String outputPath, ReductionTransform transform) {
        this(version, jobId, taskId, modelPath, matrix, rank, form, outputPath, transform, null);
    }

    /** A plain truncation (no transform). */
    public ReductionTask(int version, String jobId, String taskId, String modelPath, MatrixId matrix, int rank,
                         OutputForm form, String outputPath) {
        this(version, jobId, taskId, modelPath, matrix, rank, form, outputPath, null, null);
    }

    /** Whether the matrix is truncated to {@code rank} (always, without a transform). */
    public boolean truncates() {
        return transform == null || transform.truncate();
    }

    @Override
    public String topic() {
        return Topics.REDUCTION_TASKS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
