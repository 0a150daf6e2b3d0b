package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.spectrum.SpectrumSummary;

/**
 * One matrix of a job as {@code GET /api/v1/jobs/{id}/matrices/{tensor}} shows it: its spectrum and
 * rank decision once analysed, what its truncation cost once reduced.
 *
 * @param matrix    the matrix
 * @param spectrum  the analyzer's summary (singular values, decision, SNR, ...); null until analysed
 * @param reduction the reducer's output (tensors, rank, error, energy, bytes); null until reduced, and
 *                  for a matrix a search did not accept
 * @param failure   why its analysis or reduction failed; null otherwise
 */
public record MatrixView(MatrixId matrix, SpectrumSummary spectrum, ReductionOutput reduction, TaskFailure failure) {

    public MatrixView {
        Require.present(matrix, "matrix");
    }
}
