package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.ReductionMethod;

/**
 * How a reduction task builds one matrix of a {@code methods} study cell (DESIGN §7.4, issue 14): W_k of
 * the task's rank by {@code method} — svd, whitened or feature, the first also measured against the
 * calibration — with core's {@code MethodStudy.cell}, rounded to the matrix's dtype and stored dense, with
 * its activation and weight errors, exactly as {@code lasermesh study methods} builds it.
 *
 * @param method     {@code svd}, {@code whitened} or {@code feature}
 * @param statistics the job's merged calibration statistics, relative to the artifact store root
 */
public record MethodCell(String method, String statistics) {

    public MethodCell {
        Require.text(method, "transform.methodCell.method");
        try {
            method = ReductionMethod.parse(method).cliName();
        } catch (InvalidInputException e) {
            throw new ContractException(e.getMessage(), "transform.methodCell.method");
        }
        ArtifactPath.check(statistics, "transform.methodCell.statistics");
    }

    /** The method as core names it. */
    public ReductionMethod reductionMethod() {
        return ReductionMethod.parse(method);
    }
}
