package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.ReductionMethod;

/**
 * How an analysis or a reduction brings its matrix to rank k when the job names a calibrated method
 * (DESIGN §7.4): {@code whitened} (SVD-LLM) or {@code feature} (SFSD), with the calibration statistics
 * the gateway merged from the evaluators' shards (one {@code layer-NNN.safetensors} per decoder layer,
 * core's {@code CalibrationStore}). Left out of a task, the matrix is truncated by its own SVD.
 *
 * @param method     {@code whitened} or {@code feature}
 * @param statistics the folder of the merged statistics, relative to the artifact store root
 */
public record CalibratedMethod(String method, String statistics) {

    public CalibratedMethod {
        Require.text(method, "method");
        try {
            if (!ReductionMethod.parse(method).needsCalibration()) {
                throw new ContractException("method " + method + " takes no calibration (leave the method out)",
                        "method");
            }
        } catch (InvalidInputException e) {
            throw e instanceof ContractException c ? c : new ContractException(e.getMessage(), "method");
        }
        ArtifactPath.check(statistics, "statistics");
    }

    /** The method as core names it. */
    public ReductionMethod reductionMethod() {
        return ReductionMethod.parse(method);
    }
}
