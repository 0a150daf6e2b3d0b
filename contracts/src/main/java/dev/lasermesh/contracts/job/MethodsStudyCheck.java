package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.core.calibrate.ReductionMethod;

/**
 * What a {@code methods} study (issue 14) needs of the rest of its job: a calibration text, since whitened
 * and feature are calibrated; no search, since every selected matrix's rank comes from each budget; and no
 * {@code method}, since the study runs svd, whitened and feature itself.
 */
final class MethodsStudyCheck {

    private MethodsStudyCheck() {
    }

    /**
     * @throws ContractException naming {@code calibration}, {@code strategy} or {@code method}
     */
    static void require(StudySpec study, StrategySpec strategy, ReductionMethod method, CalibrationSpec calibration) {
        if (study == null || !study.methods()) {
            return;
        }
        if (calibration == null) {
            throw new ContractException("study methods compares svd with whitened and feature, which need a "
                    + "calibration text (calibration.text)", "calibration");
        }
        if (strategy.searches()) {
            throw new ContractException("study methods sets every selected matrix's rank from each budget; strategy "
                    + strategy.name() + " searches (leave the strategy out)", "strategy");
        }
        if (method != ReductionMethod.SVD) {
            throw new ContractException("study methods runs svd, whitened and feature itself; leave method "
                    + method.cliName() + " out", "method");
        }
    }
}
